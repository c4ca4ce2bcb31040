using System.Security.Claims;
using System.Security.Cryptography;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// With Auth:Authority the service takes its keys from the provider's OpenID Connect discovery document — here
/// a provider the test serves itself — and accepts that provider's tokens for the configured audience only.
/// </summary>
public sealed class ProviderTests : IAsyncLifetime
{
    private const string Audience = "api://croydon-audit";
    private readonly RSA _providerKey = RSA.Create(2048);
    private readonly DirectoryInfo _providerRoot = Directory.CreateTempSubdirectory("provider");
    private WebApplication? _provider;
    private string _authority = "";
    private RulesHost? _host;
    private TestDatabase? _database;
    private Dictionary<string, string> _settings = [];

    public async Task InitializeAsync()
    {
        // A content root of its own: the test's output folder holds the service's appsettings (HTTP/2 only),
        // and a discovery endpoint is plain HTTP/1.1.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _providerRoot.FullName });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_providerKey.ExportParameters(false)) { KeyId = "provider-key" });
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _authority,
            ["jwks_uri"] = $"{_authority}/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _provider.MapGet("/keys", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }));
        await _provider.StartAsync();
        _authority = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _database = new TestDatabase();
        // Outside local mode the service runs as a role granted only what it uses, as deployed.
        var (owner, runtime) = _database.LeastPrivilege();
        _settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Audit"] = runtime,
            ["ConnectionStrings:AuditOwner"] = owner,
            ["Auth:Mode"] = "Provider",
            ["Auth:Authority"] = _authority,
            ["Auth:Audience"] = Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
        };
        _host = new RulesHost(CroydonAudit.Testing.RepositoryRoot.FixtureRules, _database, _settings);
    }

    [Fact]
    public async Task ProvidersToken_IsAccepted_AndOneSignedByAnotherKeyOrForAnotherAudienceIsNot()
    {
        var audit = FixtureCases.Load("complete-good").Audit;

        var graded = await Client(ProviderToken(_providerKey, Audience)).PreviewGradeAsync(new() { Audit = audit });
        var otherKey = await Assert.ThrowsAsync<RpcException>(async () => await Client(ProviderToken(RSA.Create(2048), Audience)).PreviewGradeAsync(new() { Audit = audit }));
        var otherAudience = await Assert.ThrowsAsync<RpcException>(async () => await Client(ProviderToken(_providerKey, "api://something-else")).PreviewGradeAsync(new() { Audit = audit }));
        var local = await Assert.ThrowsAsync<RpcException>(async () => await Client(_host!.Token(Roles.All)).PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal(Grade.Good, graded.Result.OverallGrade);
        Assert.Equal(
            (StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated),
            (otherKey.StatusCode, otherAudience.StatusCode, local.StatusCode));
    }

    [Fact]
    public async Task WithoutAClientForThePages_TheSignInPageSaysSoAndTakesNoToken()
    {
        using var browser = new HttpClient { BaseAddress = _host!.PagesAddress };

        var page = await browser.GetStringAsync("/sign-in");
        var pasted = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = ProviderToken(_providerKey, Audience) }));

        Assert.Contains("Signing in to these pages is not set up for this service yet.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<textarea", page, StringComparison.Ordinal);
        Assert.False(pasted.IsSuccessStatusCode);
    }

    [Fact]
    public async Task OutsideLocalMode_ApprovalIsRequiredByDefault_AnUnapprovedVersionCannotActivate()
    {
        // The setting left unset, in an environment named as ./run.sh names local mode's: the mode decides, not the name.
        using var host = new RulesHost(CroydonAudit.Testing.RepositoryRoot.FixtureRules, _database!, new Dictionary<string, string>(_settings)
        {
            ["Rules:RequireApproval"] = "",
            ["environment"] = "Local",
        });
        using var changed = new CroydonAudit.Testing.RuleFolderCopy();
        CroydonAudit.Testing.RuleMistakes.MakeCareActPartialInadequate(changed);
        var alice = new RuleSetService.RuleSetServiceClient(host.ChannelFor(ProviderToken(_providerKey, Audience, "alice", Roles.RulesAdmin)));
        var before = (await alice.GetRuleSetStatusAsync(new())).Active.Version;

        var proposed = await alice.ProposeRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await alice.ActivateRuleSetAsync(new() { Version = proposed.RuleSet.Version }));
        var byFiles = await Assert.ThrowsAsync<RpcException>(async () => await alice.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } }));
        var status = await alice.GetRuleSetStatusAsync(new());

        Assert.Equal("Local", host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
        Assert.True(status.ApprovalRequired);
        Assert.Equal((StatusCode.FailedPrecondition, StatusCode.FailedPrecondition), (refused.StatusCode, byFiles.StatusCode));
        Assert.Contains("has not been approved", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, status.Active.Version);
    }

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        _database?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _providerKey.Dispose();
        _providerRoot.Delete(recursive: true);
    }

    private GradingService.GradingServiceClient Client(string token) => new(_host!.ChannelFor(token));

    private string ProviderToken(RSA key, string audience, string subject = "entra-user-1", string role = Roles.Grader) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = _authority,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("azp", "case-recording-system"), new Claim("roles", role)]),
        Expires = DateTime.UtcNow.AddMinutes(30),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "provider-key" }, SecurityAlgorithms.RsaSha256),
    });
}
