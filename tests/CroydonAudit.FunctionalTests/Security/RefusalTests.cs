using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// Every refusal is a security event — an access-log row (refused, with its method and reason), a Warning and a
/// count in croydon_audit_refusals_total — and "not yours" is answered exactly as "not there".
/// </summary>
public sealed class RefusalTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public RefusalTests() => _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string>
    {
        ["RateLimit:PermitsPerSecond"] = "1",
        ["RateLimit:Burst"] = "40",
    });

    [Fact]
    public async Task AGradersGetAudit_IsARefusedRow_ForItsRole_AWarning_AndACount()
    {
        using var grader = _host.ChannelFor(_host.Token([Roles.Grader], name: "nosy-grader"));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(grader).GetAuditAsync(new() { AuditId = "anything" }));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.True(await RowAsync("subject = 'nosy-grader' AND reason = 'role' AND method = '/croydon.audit.v1.GradingService/GetAudit'"));
        Assert.Contains(_host.Logs.Events, l => l.Level == LogLevel.Warning && l.Message.Contains("Refused /croydon.audit.v1.GradingService/GetAudit (role) for subject nosy-grader", StringComparison.Ordinal));
        Assert.Contains("croydon_audit_refusals_total{", await Metrics());
        Assert.Contains("reason=\"role\"", await Metrics());
    }

    public static TheoryData<string, string> RefusedAuthentication => new()
    {
        { "none", "token-missing" },
        { "expired", "token-expired" },
        { "forged", "token-invalid" },
    };

    [Theory]
    [MemberData(nameof(RefusedAuthentication))]
    public async Task FailedAuthentication_IsARefusedRow_WithItsReasonClass_NeverTheToken(string token, string reason)
    {
        var sent = token switch
        {
            "none" => null,
            "expired" => _host.Token(Roles.All, now: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            _ => "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.",
        };
        using var channel = _host.ChannelFor(sent);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(channel).ListAuditsAsync(new()));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.True(await RowAsync($"subject = '' AND reason = '{reason}' AND method = '/croydon.audit.v1.GradingService/ListAudits' AND query LIKE 'address=%'"));
        if (sent is not null)
        {
            Assert.Equal(0, _database.Count($"SELECT count(*) FROM access_record WHERE query LIKE '%{sent[..20]}%'"));
            Assert.DoesNotContain(_host.Logs.Events, l => l.Message.Contains(sent[..20], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AnotherTeamsAudit_AndAMissingOne_GiveByteIdenticalErrors_BothRecorded()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "north-audit"; a.Team = "Team North"; }) });
        using var south = _host.ChannelFor(_host.Token([Roles.Auditor, Roles.Moderator], team: "Team South", name: "south-auditor"));
        var client = new GradingService.GradingServiceClient(south);
        var moderation = new ReportService.ReportServiceClient(south);

        var errors = new List<(string What, RpcException Error)>();
        foreach (var (what, call) in new (string, Func<Task>)[]
        {
            ("other team", async () => await client.GetAuditAsync(new() { AuditId = "north-audit" })),
            ("missing", async () => await client.GetAuditAsync(new() { AuditId = "never-there" })),
            ("other team, revision", async () => await client.GetAuditAsync(new() { AuditId = "north-audit", Revision = 1 })),
            ("other team, no such revision", async () => await client.GetAuditAsync(new() { AuditId = "north-audit", Revision = 2 })),
            ("missing, revision", async () => await client.GetAuditAsync(new() { AuditId = "never-there", Revision = 2 })),
            ("decision, other team", async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "north-audit", Outcome = ModerationOutcome.Agreed })),
            ("decision, missing", async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "never-there", Outcome = ModerationOutcome.Agreed })),
        })
        {
            errors.Add((what, await Assert.ThrowsAsync<RpcException>(call)));
        }

        Assert.All(errors, e => Assert.Equal(StatusCode.NotFound, e.Error.StatusCode));
        Assert.Equal(Wire(errors[0].Error), Wire(errors[1].Error));
        Assert.Equal(Wire(errors[5].Error), Wire(errors[6].Error));
        Assert.Single(errors.Skip(2).Take(3).Select(e => Wire(e.Error)).Distinct());
        // Revision 2 of another team's audit is not there either: recorded as not found.
        Assert.Equal(3, _database.Count("SELECT count(*) FROM access_record WHERE subject = 'south-auditor' AND action = 'refused' AND reason = 'team'"));
        Assert.Equal(4, _database.Count("SELECT count(*) FROM access_record WHERE subject = 'south-auditor' AND action = 'refused' AND reason = 'not-found'"));
        Assert.Equal(0, _database.Count("SELECT count(*) FROM access_record WHERE subject = 'south-auditor' AND action <> 'refused'"));
    }

    [Fact]
    public async Task RateLimitedCalls_AndBadQueries_AreRefusedRows()
    {
        using var channel = _host.ChannelFor(_host.Token([Roles.Auditor], name: "hurried-auditor"));
        var client = new GradingService.GradingServiceClient(channel);

        var bad = await Assert.ThrowsAsync<RpcException>(async () => await client.ListAuditsAsync(new() { PageToken = "not-a-page-token" }));
        var statuses = new List<StatusCode>();
        for (var call = 0; call < 60 && !statuses.Contains(StatusCode.ResourceExhausted); call++)
        {
            try
            {
                await client.ListAuditsAsync(new());
            }
            catch (RpcException e)
            {
                statuses.Add(e.StatusCode);
            }
        }

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
        Assert.True(await RowAsync("subject = 'hurried-auditor' AND reason = 'bad-query'"));
        Assert.True(await RowAsync("subject = 'hurried-auditor' AND reason = 'rate-limited'"));
    }

    [Fact]
    public async Task AFloodOfRefusals_IsCountedWhole_ButKeepsOnlyTwentyRowsAMinutePerCallerAndReason()
    {
        using var grader = _host.ChannelFor(_host.Token([Roles.Grader], name: "flooding-grader"));
        var client = new GradingService.GradingServiceClient(grader);

        for (var call = 0; call < 30; call++)
        {
            await Assert.ThrowsAsync<RpcException>(async () => await client.ListAuditsAsync(new()));
        }

        Assert.True(await RowAsync("subject = 'flooding-grader'", count: 20));
        await Task.Delay(500);
        Assert.Equal(20, _database.Count("SELECT count(*) FROM access_record WHERE subject = 'flooding-grader' AND reason = 'role'"));
        var counted = (await Metrics()).Split('\n').Single(l => l.StartsWith("croydon_audit_refusals_total{", StringComparison.Ordinal)
            && l.Contains("method=\"/croydon.audit.v1.GradingService/ListAudits\"", StringComparison.Ordinal) && l.Contains("reason=\"role\"", StringComparison.Ordinal));
        // At least the whole flood: the test process's other hosts share the meter's name, and so its counts.
        Assert.True(int.Parse(counted.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 30, counted);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    // What the caller receives: the status, its message and any details, as the bytes of the trailers.
    private static string Wire(RpcException error) =>
        $"{(int)error.StatusCode}|{error.Status.Detail}|{string.Join(';', error.Trailers.Select(t => $"{t.Key}={(t.IsBinary ? Convert.ToBase64String(t.ValueBytes) : t.Value)}"))}";

    private Task<bool> RowAsync(string where, int count = 1) => Eventually.HoldsAsync(
        () => Task.FromResult(_database.Count($"SELECT count(*) FROM access_record WHERE action = 'refused' AND {where}") >= count),
        TimeSpan.FromSeconds(10));

    private async Task<string> Metrics()
    {
        using var anonymous = _host.RestClient(token: null);
        return await anonymous.GetStringAsync("/metrics");
    }
}
