using CroydonAudit.Api.Extensions;
using Microsoft.AspNetCore.Http;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A browser's sign-in: the same bearer token a gRPC caller sends (from the identity provider, or
/// <c>./run.sh token</c> in local mode), kept in an HttpOnly, SameSite=Strict session cookie that only the pages read
/// (never the REST/JSON routes, so no other site can make a browser call them). The token is checked on every page exactly as a
/// gRPC caller's is, expiry included.
/// </summary>
public static class PageSession
{
    /// <summary>The cookie's name.</summary>
    public const string Cookie = "croydon-audit-session";

    /// <summary>Where a browser without a valid sign-in is sent.</summary>
    public const string SignInPath = "/sign-in";

    /// <summary>Prefixes of the HTTP/1.1 endpoint that are not pages: the cookie is never read for them.</summary>
    private static readonly string[] NotPages = [RestPrefix, ServiceEndpoints.OpenApiPath, ServiceEndpoints.MetricsPath, PagesExtensions.AssetsPath];

    // Every REST/JSON route of the contract starts here (google.api.http in protos/).
    private const string RestPrefix = "/v1";

    /// <summary>Whether the request is for a page (as opposed to REST/JSON, metrics, assets, or gRPC).</summary>
    public static bool IsPage(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true
        && !NotPages.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The signed-in browser's token, if any.</summary>
    public static string? Token(HttpContext context) =>
        IsPage(context) && context.Request.Cookies.TryGetValue(Cookie, out var token) && token.Length is > 0 and <= 8192 ? token : null;

    /// <summary>Keeps <paramref name="token"/> for this browser's session (the token's own expiry still holds).</summary>
    public static void SignIn(HttpContext context, string token) =>
        context.Response.Cookies.Append(Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });

    /// <summary>Forgets this browser's token.</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
}
