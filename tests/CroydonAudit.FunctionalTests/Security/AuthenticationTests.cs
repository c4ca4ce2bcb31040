using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>No call without a valid token — none, expired, or signed by another key — and nothing stored or returned; probes need none.</summary>
public sealed class AuthenticationTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    public static TheoryData<string> BadTokens =>
    [
        "none", "expired", "expired 40 seconds ago", "signed by another key", "for another audience",
        "with an empty team", "with a null team", "with two teams", "with an empty list of teams", "with an empty subject",
        "with a line break in its subject", "with an unknown role",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Call_WithoutAValidToken_IsUnauthenticatedAndNothingIsStoredOrReturned(string token)
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = $"unauthenticated-{token.Replace(' ', '-')}");
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "stored-for-reading") });
        using var channel = host.ChannelFor(Token(token));
        var client = new GradingService.GradingServiceClient(channel);

        var write = await Assert.ThrowsAsync<RpcException>(async () => await client.GradeAuditAsync(new() { Audit = audit }));
        var read = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAuditAsync(new() { AuditId = "stored-for-reading" }));

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (write.StatusCode, read.StatusCode));
        Assert.Equal(0, host.Database.Count($"SELECT count(*) FROM audit_revision WHERE audit_id = '{audit.AuditId}'"));
    }

    [Fact]
    public async Task Health_WithoutAToken_Answers()
    {
        using var channel = host.ChannelFor(null);

        var status = await HealthProbe.EventuallyAsync(new Health.HealthClient(channel), HealthCheckResponse.Types.ServingStatus.Serving);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Reflection_WithoutAToken_IsRefused()
    {
        using var channel = host.ChannelFor(null);
        using var call = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(30));

        // The refusal comes with the response's headers, before any message is read: the call is refused whatever it
        // asks (a service that let it through would wait for a request until the deadline). Writing a request first
        // raced the refusal: a write to a call already refused fails as Cancelled.
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task IllMadeToken_SaysWhatIsWrongWithIt()
    {
        using var channel = host.ChannelFor(Token("with an empty team"));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(channel).ListAuditsAsync(new()));

        Assert.Equal((StatusCode.Unauthenticated, "The bearer token was refused: its team claim is empty, null or not one name."), (refused.StatusCode, refused.Status.Detail));
    }

    [Fact]
    public async Task TokenExpired20SecondsAgo_IsStillAccepted_WithinTheClockSkew()
    {
        using var channel = host.ChannelFor(host.Token(Roles.All, now: DateTime.UtcNow.AddMinutes(-10).AddSeconds(-20), lifetime: TimeSpan.FromMinutes(10)));

        var listed = await new GradingService.GradingServiceClient(channel).ListAuditsAsync(new());

        Assert.NotNull(listed);
    }

    private string? Token(string kind) => kind switch
    {
        "none" => null,
        "expired" => host.Token(Roles.All, now: DateTime.UtcNow.AddHours(-3), lifetime: TimeSpan.FromHours(1)),
        "expired 40 seconds ago" => host.Token(Roles.All, now: DateTime.UtcNow.AddMinutes(-10).AddSeconds(-40), lifetime: TimeSpan.FromMinutes(10)),
        "with an empty team" => host.Token(Roles.All, team: ""),
        "with a null team" => Signed("""{"sub":"someone","team":null,"roles":["auditor","grader"]}"""),
        "with two teams" => Signed("""{"sub":"someone","team":["Team A","Team B"],"roles":["auditor","grader"]}"""),
        "with an empty list of teams" => Signed("""{"sub":"someone","team":[],"roles":["auditor","grader"]}"""),
        "with a line break in its subject" => Signed("""{"sub":"evil\n2026-12-07T22:00:00.000Z INF Forged","roles":["auditor","grader"]}"""),
        "with an empty subject" => Signed("""{"sub":"","roles":["auditor","grader"]}"""),
        "with an unknown role" => Signed("""{"sub":"someone","roles":["auditor","grader","superuser"]}"""),
        "signed by another key" => LocalTokens.Create(new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = "local" }, Roles.All),
        _ => LocalTokens.Create(LocalSigningKey.LoadOrCreate(host.SigningKeyPath), Roles.All, audience: "some-other-service"),
    };

    // A token whose claims are written as given (LocalTokens writes only well-made ones), signed with the host's key.
    private string Signed(string claims)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(claims)!.AsObject();
        var now = DateTimeOffset.UtcNow;
        payload["iss"] = LocalTokens.Issuer;
        payload["aud"] = LocalTokens.Audience;
        payload["iat"] = now.ToUnixTimeSeconds();
        payload["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds();
        payload["exp"] = now.AddHours(1).ToUnixTimeSeconds();
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(payload.ToJsonString(),
            new SigningCredentials(LocalSigningKey.LoadOrCreate(host.SigningKeyPath), SecurityAlgorithms.HmacSha256));
    }
}
