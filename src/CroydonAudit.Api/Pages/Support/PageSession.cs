using System.Security.Cryptography;
using CroydonAudit.Api.Extensions;
using CroydonAudit.Store.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>Configuration section "Pages": how long a browser's session lasts.</summary>
public sealed class PageSessionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Pages";

    /// <summary>A session unused this long has ended: the browser signs in again.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest a session lasts, however it is used (and never past its token's expiry).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>
/// A browser's sign-in, kept server-side (<see cref="PageSessionStore"/>): its HttpOnly, SameSite=Strict cookie holds
/// only a random session id, never the token, and only the pages read it (never the REST/JSON routes, so no other
/// site can make a browser call them). Signing out ends the session on every replica; so do the idle timeout and
/// the token's expiry. The token is checked on every page exactly as a gRPC caller's is.
/// </summary>
public sealed class PageSession(PageSessionStore store, IOptions<PageSessionOptions> options, TimeProvider clock)
{
    /// <summary>The cookie's name.</summary>
    public const string Cookie = "croydon-audit-session";

    /// <summary>Where a browser without a valid sign-in is sent.</summary>
    public const string SignInPath = "/sign-in";

    /// <summary>Prefixes of the HTTP/1.1 endpoint that are not pages: the cookie is never read for them.</summary>
    private static readonly string[] NotPages = [RestPrefix, ServiceEndpoints.OpenApiPath, ServiceEndpoints.MetricsPath, PagesExtensions.AssetsPath];

    // Every REST/JSON route of the contract starts here (google.api.http in protos/).
    private const string RestPrefix = "/v1";

    // Where a page request keeps its session's token once found.
    private static readonly object TokenKey = new();

    private const int IdBytes = 32;

    /// <summary>Whether the request is for a page (as opposed to REST/JSON, metrics, assets, or gRPC).</summary>
    public static bool IsPage(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true
        && !NotPages.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the browser sent a session cookie with a page request (live or not).</summary>
    public static bool SentSession(HttpContext context) => IsPage(context) && Id(context) is not null;

    /// <summary>The signed-in browser's token, once <see cref="FindAsync"/> has found its session.</summary>
    public static string? Token(HttpContext context) => context.Items[TokenKey] as string;

    /// <summary>Finds the session a page request's cookie names, if it has not ended, and keeps its token for the request.</summary>
    public async Task<string?> FindAsync(HttpContext context)
    {
        if (!IsPage(context) || Id(context) is not { } id)
        {
            return null;
        }

        var token = await store.TouchAsync(SHA256.HashData(id), options.Value.SessionIdleTimeout, context.RequestAborted);
        context.Items[TokenKey] = token;
        return token;
    }

    /// <summary>Starts a session for <paramref name="token"/>, until the token's expiry or the session's lifetime.</summary>
    public async Task SignInAsync(HttpContext context, string token)
    {
        var id = RandomNumberGenerator.GetBytes(IdBytes);
        var longest = clock.GetUtcNow() + options.Value.SessionLifetime;
        await store.CreateAsync(SHA256.HashData(id), token, Expiry(token) is { } expires && expires < longest ? expires : longest, context.RequestAborted);
        context.Response.Cookies.Append(Cookie, WebEncoders.Base64UrlEncode(id), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
    }

    /// <summary>Ends this browser's session, here and on every replica, and forgets its cookie.</summary>
    public async Task SignOutAsync(HttpContext context)
    {
        if (Id(context) is { } id)
        {
            await store.EndAsync(SHA256.HashData(id), context.RequestAborted);
        }

        context.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
    }

    // The session id the cookie holds, if it is one this service could have made.
    private static byte[]? Id(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(Cookie, out var value) || value.Length != 43)
        {
            return null;
        }

        try
        {
            return WebEncoders.Base64UrlDecode(value) is { Length: IdBytes } id ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // The token's own expiry, read without trusting it (it is checked on every page): a session never outlives it.
    private static DateTimeOffset? Expiry(string token)
    {
        try
        {
            return new JsonWebToken(token).ValidTo is { Year: > 2000 } valid ? new DateTimeOffset(valid, TimeSpan.Zero) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
