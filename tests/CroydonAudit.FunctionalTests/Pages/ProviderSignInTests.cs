using System.Net;
using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;
using Microsoft.Playwright;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// People sign in to the pages at a real, certified OpenID Connect provider (node oidc-provider on loopback), in
/// Debian's Chromium: authorization code flow with PKCE, a session that holds no token, sign-out here and at the
/// provider, an expired session sent back through the provider, a person without a role refused plainly, and a
/// signing-key rotation at the provider followed. Case recording systems keep calling with client-credentials tokens.
/// </summary>
public sealed class ProviderSignInTests : IAsyncLifetime
{
    private const string Audience = "api://croydon-audit";
    private const string PagesClient = "croydon-audit-pages";
    private const string CertificateClient = "croydon-audit-pages-certificate";
    private const string CaseSystem = "case-recording-system";
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _pagesSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private readonly string _systemSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private IdentityProvider? _provider;
    private TestDatabase? _database;
    private RulesHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _owner = "";
    private string _runtime = "";

    public async Task InitializeAsync()
    {
        _provider = await IdentityProvider.StartAsync();
        _database = new TestDatabase();
        (_owner, _runtime) = _database.LeastPrivilege();
        _host = new RulesHost(RepositoryRoot.FixtureRules, _database, Settings(PagesClient, ("Auth:ClientSecret", _pagesSecret)));
        await _provider.SendAsync(new
        {
            pagesClient = new { clientId = PagesClient, secret = _pagesSecret, redirectUri = $"{_host.PagesAddress}sign-in/callback", postLogoutRedirectUri = $"{_host.PagesAddress}sign-out/callback" },
            systems = new Dictionary<string, object> { [CaseSystem] = new { secret = _systemSecret, claims = new { roles = new[] { "grader" }, name = "Case recording system" } } },
            accounts = new Dictionary<string, object>
            {
                ["amira"] = new { roles = new[] { "auditor" }, team = "North", name = "Amira Auditor" },
                ["nobody"] = new { roles = Array.Empty<string>(), name = "No Role" },
            },
        });

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task APersonSignsInAtTheProvider_SeesTheirTeam_AndSigningOutEndsBothSessions()
    {
        await StoreAsync("oidc-north", "North");
        await StoreAsync("oidc-south", "South");
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{_host!.PagesAddress}audits");
        await SignInAtProviderAsync(page, "amira");
        var audits = await page.InnerTextAsync("main");
        var cookie = (await context.CookiesAsync([_host.PagesAddress.ToString()])).Single(c => c.Name == PageSession.Cookie);

        Assert.Contains("oidc-north", audits, StringComparison.Ordinal);
        Assert.DoesNotContain("oidc-south", audits, StringComparison.Ordinal);
        // The cookie is a random session id only scripts cannot read, never a token.
        Assert.Equal((true, SameSiteAttribute.Lax, 43), (cookie.HttpOnly, cookie.SameSite, cookie.Value.Length));
        Assert.DoesNotContain('.', cookie.Value);

        await page.ClickAsync("button:has-text('Sign out')");
        await page.WaitForURLAsync(url => url.StartsWith(_provider!.Issuer, StringComparison.Ordinal));
        await page.ClickAsync("button[name=logout]");
        await page.WaitForURLAsync(url => url.EndsWith("/signed-out", StringComparison.Ordinal));
        Assert.Contains("You have signed out", await page.InnerTextAsync("main"), StringComparison.Ordinal);

        // Someone who copied the cookie before the sign-out is refused; the provider asks who you are again.
        using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.PagesAddress };
        replay.DefaultRequestHeaders.Add("Cookie", $"{PageSession.Cookie}={cookie.Value}");
        var replayed = await replay.GetAsync("/audits");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/sign-in?", replayed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await page.GotoAsync($"{_host.PagesAddress}audits");
        await page.WaitForSelectorAsync("input[name=login]");
        Assert.StartsWith(_provider!.Issuer, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSession_GoesBackThroughTheProvider_WhichSignsThePersonInAgain()
    {
        await StoreAsync("oidc-expiring", "North");
        await _provider!.SendAsync(new { accessTokenSeconds = 3 });
        var page = await (await _browser!.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{_host!.PagesAddress}audits");
        await SignInAtProviderAsync(page, "amira");
        await _provider.SendAsync(new { accessTokenSeconds = 600 });

        // The session lasts no longer than its access token.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var visited = new List<string>();
        page.Request += (_, request) => visited.Add(request.Url);
        await page.GotoAsync($"{_host.PagesAddress}audits");
        try
        {
            await page.WaitForURLAsync(url => url.EndsWith("/audits", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{page.Url}: {string.Join(", ", visited)}: {await page.InnerTextAsync("body")}");
        }

        Assert.Contains(visited, url => url.StartsWith($"{_provider.Issuer}/auth", StringComparison.Ordinal));
        Assert.Contains("oidc-expiring", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APersonWithoutARole_GetsAPlainRefusal()
    {
        var page = await (await _browser!.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{_host!.PagesAddress}audits");
        var answered = await page.RunAndWaitForResponseAsync(() => SignInAtProviderAsync(page, "nobody"), r => r.Url.EndsWith("/audits", StringComparison.Ordinal));

        Assert.Equal(403, answered.Status);
        Assert.Contains("You do not have access to this page", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPageAcceptsAPastedToken_TheSignInPageGoesToTheProvider()
    {
        var token = await _provider!.ClientCredentialsTokenAsync(CaseSystem, _systemSecret);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _host!.PagesAddress };

        var signIn = await browser.GetAsync("/sign-in");
        var pasted = await browser.PostAsync("/sign-in?handler=Token", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith($"{_provider.Issuer}/auth?", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The request itself is pushed to the provider first (PAR), which refuses any without PKCE (provider.mjs).
        Assert.Contains($"client_id={PagesClient}&request_uri=", signIn.Headers.Location.OriginalString, StringComparison.Ordinal);
        // Without the form's anti-forgery token a post is refused before any page sees it.
        Assert.Equal(HttpStatusCode.BadRequest, pasted.StatusCode);
        Assert.DoesNotContain(pasted.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(PageSession.Cookie, StringComparison.Ordinal));

        // With a valid one, from a page's own form (sign-out's, once signed in), both local sign-ins are not there at all.
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_host.PagesAddress}audits");
        await SignInAtProviderAsync(page, "amira");
        var antiforgery = await page.GetAttributeAsync("form[action='/sign-out'] input[name=__RequestVerificationToken]", "value");
        var session = (await context.CookiesAsync([_host.PagesAddress.ToString()])).Single(c => c.Name == PageSession.Cookie).Value;
        var fields = new Dictionary<string, string[]>
        {
            ["Token"] = ["token", token],
            [""] = ["roles", "rules-admin", "team", "North", "name", "Pasted"],
        };
        var answers = new List<(string Handler, bool WithAntiforgery, int Status)>();
        foreach (var (handler, values) in fields)
        {
            foreach (var withAntiforgery in new[] { false, true })
            {
                var form = context.APIRequest.CreateFormData();
                for (var i = 0; i < values.Length; i += 2)
                {
                    form.Append(values[i], values[i + 1]);
                }

                if (withAntiforgery)
                {
                    form.Append("__RequestVerificationToken", antiforgery!);
                }

                var answer = await context.APIRequest.PostAsync($"{_host.PagesAddress}sign-in{(handler.Length > 0 ? $"?handler={handler}" : "")}", new() { Form = form, MaxRedirects = 0 });
                answers.Add((handler, withAntiforgery, answer.Status));
            }
        }

        Assert.False(string.IsNullOrEmpty(antiforgery));
        Assert.Equal([("Token", false, 400), ("Token", true, 404), ("", false, 400), ("", true, 404)], answers);
        // The person's own session is what it was: nothing pasted replaced it.
        Assert.Equal(session, (await context.CookiesAsync([_host.PagesAddress.ToString()])).Single(c => c.Name == PageSession.Cookie).Value);
        await page.GotoAsync($"{_host.PagesAddress}audits");
        var footer = await page.InnerTextAsync("footer");
        Assert.Contains("Signed in as", footer, StringComparison.Ordinal);
        Assert.DoesNotContain("Pasted", footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASigningKeyRotatedAtTheProvider_IsFollowed_ByTheApiAndThePages()
    {
        var before = await _provider!.ClientCredentialsTokenAsync(CaseSystem, _systemSecret);
        await Client(before).PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit });

        await _provider.SendAsync(new { rotateKeys = true });
        var after = await _provider.ClientCredentialsTokenAsync(CaseSystem, _systemSecret);

        // The service reads the provider's keys again once a token names one it does not know (Auth:KeysRefreshInterval).
        PreviewGradeResponse? graded = null;
        var followed = await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    graded = await Client(after).PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit });
                    return true;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10));
        Assert.True(followed, "A token signed with the provider's new key was still refused after 10 s.");
        Assert.Equal(Grade.Good, graded!.Result.OverallGrade);
        Assert.NotEqual(Kid(before), Kid(after));

        var page = await (await _browser!.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{_host!.PagesAddress}audits");
        await SignInAtProviderAsync(page, "amira");
        Assert.Contains("Audits", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithACertificateInsteadOfASecret_APersonSignsIn()
    {
        // The pages' own certificate and key in one PEM file, as a secret store mounts it; the provider knows only its public key.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=croydon-audit-pages", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.Combine(Path.GetTempPath(), $"croydon-pages-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        var publicKey = key.ExportParameters(includePrivateParameters: false);
        try
        {
            using var host = new RulesHost(RepositoryRoot.FixtureRules, _database!, Settings(CertificateClient, ("Auth:ClientCertificatePath", pem)));
            await _provider!.SendAsync(new
            {
                pagesClients = new[]
                {
                    new
                    {
                        clientId = CertificateClient,
                        redirectUri = $"{host.PagesAddress}sign-in/callback",
                        postLogoutRedirectUri = $"{host.PagesAddress}sign-out/callback",
                        jwks = new
                        {
                            keys = new[]
                            {
                                new
                                {
                                    kty = "RSA", use = "sig", alg = "RS256", kid = certificate.Thumbprint,
                                    n = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(publicKey.Modulus), e = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(publicKey.Exponent),
                                },
                            },
                        },
                    },
                },
            });
            await StoreAsync("oidc-certificate", "North");
            var page = await (await _browser!.NewContextAsync()).NewPageAsync();

            await page.GotoAsync($"{host.PagesAddress}audits");
            await SignInAtProviderAsync(page, "amira", host);

            Assert.Contains("oidc-certificate", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _host?.Dispose();
        _database?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    // The provider's own sign-in form (its development interactions): any password, the account's claims as registered.
    private async Task SignInAtProviderAsync(IPage page, string account, RulesHost? host = null)
    {
        host ??= _host!;
        await page.WaitForSelectorAsync("input[name=login]");
        Assert.StartsWith(_provider!.Issuer, page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=login]", account);
        await page.FillAsync("input[name=password]", "any password");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.StartsWith(host.PagesAddress.ToString(), StringComparison.Ordinal) && new Uri(url).AbsolutePath == "/audits");
    }

    // The service's settings at the provider, as the pages' client <paramref name="clientId"/> proving itself by <paramref name="authentication"/>.
    private Dictionary<string, string> Settings(string clientId, (string Key, string Value) authentication) => new()
    {
        ["ConnectionStrings:Audit"] = _runtime,
        ["ConnectionStrings:AuditOwner"] = _owner,
        ["Auth:Mode"] = "Provider",
        ["Auth:Authority"] = _provider!.Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:ClientId"] = clientId,
        [authentication.Key] = authentication.Value,
        ["Auth:Scopes"] = "audit",
        ["Auth:ClockSkew"] = "00:00:00",
        ["Auth:KeysRefreshInterval"] = "00:00:01",
    };

    private async Task StoreAsync(string auditId, string team)
    {
        var token = await _provider!.ClientCredentialsTokenAsync(CaseSystem, _systemSecret);
        await Client(token).GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = (auditId, team)) });
    }

    private GradingService.GradingServiceClient Client(string token) => new(_host!.ChannelFor(token));

    private static string Kid(string token) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid;
}
