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
/// A browser's sign-in, kept server-side (<see cref="PageSessionStore"/>): its HttpOnly, SameSite cookie holds
/// only a random session id, never the token, and only the pages read it (never the REST/JSON routes, so no other
/// site can make a browser call them). Signing out ends the session on every replica; so do the idle timeout and
/// the token's expiry. The token is checked on every page exactly as a gRPC caller's is.
/// </summary>
public sealed class PageSession(PageSessionStore store, IOptions<PageSessionOptions> options, IOptions<CroydonAudit.Api.Security.AuthOptions> auth, TimeProvider clock)
{
    /// <summary>The cookie's name.</summary>
    public const string Cookie = "croydon-audit-session";

    /// <summary>Where a browser without a valid sign-in is sent.</summary>
    public const string SignInPath = "/sign-in";

    /// <summary>Prefixes of the HTTP/1.1 endpoint that are not pages: the cookie is never read for them.</summary>
    private static readonly string[] NotPages = [RestPrefix, ServiceEndpoints.OpenApiPath, ServiceEndpoints.MetricsPath, PagesExtensions.AssetsPath];

    // Every REST/JSON route of the contract starts here (google.api.http in protos/).
    private const string RestPrefix = "/v1";

    // Where a page request keeps its session's tokens once found.
    private static readonly object TokenKey = new();

    private static readonly object IdTokenKey = new();

    private const int IdBytes = 32;

    // Between the access token and the ID token in a session: never part of a JWT, which is base64url and dots.
    private const char TokenSeparator = ' ';

    /// <summary>Whether the request is for a page (as opposed to REST/JSON, metrics, assets, or gRPC).</summary>
    public static bool IsPage(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true
        && !NotPages.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the browser sent a session cookie with a page request (live or not).</summary>
    public static bool SentSession(HttpContext context) => IsPage(context) && Id(context) is not null;

    /// <summary>The signed-in browser's token, once <see cref="FindAsync"/> has found its session.</summary>
    public static string? Token(HttpContext context) => context.Items[TokenKey] as string;

    /// <summary>The ID token the provider signed the session in with, if any: what signing out at the provider names.</summary>
    public static string? IdToken(HttpContext context) => context.Items[IdTokenKey] as string;

    /// <summary>Finds the session a page request's cookie names, if it has not ended, and keeps its token for the request.</summary>
    public async Task<string?> FindAsync(HttpContext context)
    {
        if (!IsPage(context) || Id(context) is not { } id)
        {
            return null;
        }

        var tokens = await store.TouchAsync(SHA256.HashData(id), options.Value.SessionIdleTimeout, context.RequestAborted) is { } sealedTokens
            ? Open(id, sealedTokens)?.Split(TokenSeparator)
            : null;
        context.Items[TokenKey] = tokens?[0];
        context.Items[IdTokenKey] = tokens is [_, { Length: > 0 } idToken] ? idToken : null;
        return tokens?[0];
    }

    /// <summary>
    /// Starts a session for <paramref name="token"/> (and the ID token it came with from the provider, if any),
    /// until the token's expiry or the session's lifetime.
    /// </summary>
    public async Task SignInAsync(HttpContext context, string token, string? idToken = null)
    {
        var id = RandomNumberGenerator.GetBytes(IdBytes);
        var longest = clock.GetUtcNow() + options.Value.SessionLifetime;
        var kept = idToken is null ? token : $"{token}{TokenSeparator}{idToken}";
        await store.CreateAsync(SHA256.HashData(id), Seal(id, kept), Expiry(token) is { } expires && expires < longest ? expires : longest, context.RequestAborted);
        context.Response.Cookies.Append(Cookie, WebEncoders.Base64UrlEncode(id), new CookieOptions
        {
            HttpOnly = true,
            // Lax through the provider: its redirect back is a cross-site chain, on which a Strict cookie is withheld.
            SameSite = auth.Value.SignsInThroughProvider ? SameSiteMode.Lax : SameSiteMode.Strict,
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

    // The token sealed (AES-GCM) with a key derived from the session id, which the database never holds: nonce, tag, text.
    private static byte[] Seal(byte[] id, string token)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(token);
        var sealedToken = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedToken.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(id), TagBytes);
        aes.Encrypt(nonce, plain, sealedToken.AsSpan(NonceBytes + TagBytes), sealedToken.AsSpan(NonceBytes, TagBytes));
        return sealedToken;
    }

    // The token a session holds; null when it does not open with this id's key (it was not sealed for it).
    private static string? Open(byte[] id, byte[] sealedToken)
    {
        if (sealedToken.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var plain = new byte[sealedToken.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(Key(id), TagBytes);
            aes.Decrypt(sealedToken.AsSpan(0, NonceBytes), sealedToken.AsSpan(NonceBytes + TagBytes), sealedToken.AsSpan(NonceBytes, TagBytes), plain);
            return System.Text.Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Key(byte[] id) => HKDF.DeriveKey(HashAlgorithmName.SHA256, id, 32, info: "croydon-audit page session token"u8.ToArray());

    private const int NonceBytes = 12;

    private const int TagBytes = 16;

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
