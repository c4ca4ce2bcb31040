using System.Net;
using System.Text.RegularExpressions;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// Pages carry the headers that keep a browser safe (CSP without inline script, never framed, nosniff, same-origin
/// referrer); forwarded headers count only from a configured proxy, which makes the cookie Secure and adds HSTS
/// behind a TLS-terminating mesh; a flood of anonymous calls does not lock its address out of signing in.
/// </summary>
public sealed partial class BrowserProtectionTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public BrowserProtectionTests() => _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string>
    {
        // The test calls from loopback: the proxy it stands for.
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        ["RateLimit:PermitsPerSecond"] = "1",
        ["RateLimit:Burst"] = "60",
    });

    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/audits")]
    [InlineData("/problem?code=404")]
    [InlineData("/v1/audits")]
    public async Task EveryAnswer_CarriesTheBrowserHeaders(string path)
    {
        using var browser = Browser();

        var response = await browser.GetAsync(path);

        Assert.Equal("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task ThePages_HaveNoInlineScriptOrStyle_ForTheirPolicyToAllow()
    {
        using var browser = Browser();
        await SignIn(browser, _host.Token([Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin]), forwardedProto: null);

        foreach (var page in new[] { "/sign-in", "/audits", "/moderation", "/report", "/rules", "/audits/new" })
        {
            var html = await browser.GetStringAsync(page);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotContain(" style=\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BehindATrustedProxyOverHttps_TheCookieIsSecure_AndHstsIsSent()
    {
        using var browser = Browser();

        var signedIn = await SignIn(browser, _host.Token([Roles.Auditor]), forwardedProto: "https");
        using var page = new HttpRequestMessage(HttpMethod.Get, "/sign-in") { Headers = { { "X-Forwarded-Proto", "https" } } };
        var answer = await browser.SendAsync(page);

        Assert.Equal("max-age=31536000", Assert.Single(answer.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("secure", SessionCookie(signedIn), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FromAnUntrustedAddress_ForwardedHeadersAreIgnored()
    {
        using var database = new TestDatabase();
        using var untrusting = new RulesHost(RepositoryRoot.FixtureRules, database);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = untrusting.PagesAddress };

        var signedIn = await SignIn(browser, untrusting.Token([Roles.Auditor]), forwardedProto: "https");

        Assert.DoesNotContain("secure", SessionCookie(signedIn), StringComparison.OrdinalIgnoreCase);
        Assert.False(signedIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AFloodOfAnonymousCalls_DoesNotLockTheAddressOutOfSigningIn()
    {
        using var flood = new HttpClient { BaseAddress = _host.PagesAddress };
        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 90; call++)
        {
            statuses.Add((await flood.GetAsync("/v1/audits")).StatusCode);
        }

        using var browser = Browser();
        var signIn = await browser.GetAsync("/sign-in");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    private HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _host.PagesAddress };

    private static async Task<HttpResponseMessage> SignIn(HttpClient browser, string token, string? forwardedProto)
    {
        var form = await browser.GetStringAsync("/sign-in");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in?handler=Token")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", AntiForgery().Match(form).Groups[1].Value), new("token", token)]),
        };
        if (forwardedProto is not null)
        {
            post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private static string SessionCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("croydon-audit-session=", StringComparison.Ordinal));

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgery();
}
