using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>Deny by default: each role can call exactly its methods, a team-limited token reads only its team's audits, and a stored revision names its caller.</summary>
public sealed class RoleTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["PreviewGrade"] = [Roles.Grader, Roles.Auditor],
        ["GradeAudit"] = [Roles.Grader, Roles.Auditor],
        ["GetAudit"] = [Roles.Auditor, Roles.Moderator],
        ["ListAudits"] = [Roles.Auditor, Roles.Moderator],
        ["ListTeams"] = [Roles.Auditor, Roles.Moderator, Roles.Analyst],
        ["RegradeAudit"] = [Roles.RulesAdmin],
        ["RegradeAudits"] = [Roles.RulesAdmin],
        ["GetActiveRuleSet"] = [Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover],
        ["ListRuleSets"] = [Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover],
        ["GetRuleSetStatus"] = [Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover],
        ["DiffRuleSets"] = [Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover],
        ["CheckRuleSet"] = [Roles.RulesAdmin],
        ["ActivateRuleSet"] = [Roles.RulesAdmin],
        ["ProposeRuleSet"] = [Roles.RulesAdmin],
        ["GetAuditTemplate"] = [Roles.Grader, Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover],
        ["ApproveRuleSet"] = [Roles.RulesApprover],
        ["PreviewRuleSetImpact"] = [Roles.RulesAdmin],
        ["ListAccessRecords"] = [Roles.DataProtection],
        ["RecordModerationDecision"] = [Roles.Moderator],
        ["ListModerationQueue"] = [Roles.Moderator],
        ["GetProgrammeReport"] = [Roles.Analyst, Roles.Moderator],
    };

    public static TheoryData<string, string> EveryRoleAndMethod
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var role in Roles.All)
            {
                foreach (var method in Allowed.Keys)
                {
                    data.Add(role, method);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndMethod))]
    public async Task Role_CallsExactlyItsMethods(string role, string method)
    {
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "for-roles") });
        using var channel = host.ChannelFor(host.Token([role]));

        var status = await StatusOf(() => Call(channel, method));

        if (Allowed[method].Contains(role))
        {
            Assert.True(status is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated), $"{role} may call {method}, but got {status}");
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, status);
        }
    }

    [Fact]
    public async Task ARefusedToken_IsAGrpcStatusWithItsReason_NotABareHttpError()
    {
        using var analyst = host.ChannelFor(host.Token([Roles.Analyst]));
        using var forged = host.ChannelFor("not-a-token");

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(analyst).PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit }));
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(forged).ListAuditsAsync(new()));

        Assert.Equal((StatusCode.PermissionDenied, "The token's roles do not allow this call."), (denied.StatusCode, denied.Status.Detail));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.StartsWith("The bearer token was refused", unauthenticated.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamToken_GradesOnlyItsTeamsAudits()
    {
        using var channel = host.ChannelFor(host.Token([Roles.Auditor], team: "Team A"));
        var client = new GradingService.GradingServiceClient(channel);

        var own = await client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "team-a-graded"; a.Team = "Team A"; }) });
        var other = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "team-b-graded"; a.Team = "Team B"; }) }));

        Assert.Equal(1, own.Result.Revision);
        Assert.Equal((StatusCode.PermissionDenied, "Your token allows audits of the team Team A only."), (other.StatusCode, other.Status.Detail));
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'team-b-graded'"));
    }

    [Fact]
    public async Task TeamToken_ReadsOnlyItsTeamsAudits()
    {
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "team-a-audit"; a.Team = "Team A"; }) });
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "team-b-audit"; a.Team = "Team B"; }) });
        using var channel = host.ChannelFor(host.Token([Roles.Auditor], team: "Team A"));
        var client = new GradingService.GradingServiceClient(channel);

        var own = await client.GetAuditAsync(new() { AuditId = "team-a-audit" });
        var other = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAuditAsync(new() { AuditId = "team-b-audit" }));
        var listOther = await Assert.ThrowsAsync<RpcException>(async () => await client.ListAuditsAsync(new() { Team = "Team B" }));
        var listed = await client.ListAuditsAsync(new() { PageSize = 500 });

        Assert.Equal("Team A", own.Audit.Submission.Team);
        Assert.Equal((StatusCode.NotFound, StatusCode.PermissionDenied), (other.StatusCode, listOther.StatusCode));
        Assert.DoesNotContain("team-b", other.Status.Detail, StringComparison.Ordinal);
        Assert.All(listed.Audits, a => Assert.Equal("Team A", a.Team));
        Assert.Contains(listed.Audits, a => a.AuditId == "team-a-audit");
    }

    [Fact]
    public async Task GradeAudit_StoredRevision_NamesItsAuthenticatedCallerBesideTheAsserted()
    {
        using var channel = host.ChannelFor(host.Token([Roles.Grader], name: "recording-system-7"));
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "caller-recorded"; a.AuditorId = "someone-else"; });

        await new GradingService.GradingServiceClient(channel).GradeAuditAsync(new() { Audit = audit });
        var stored = (await host.Client.GetAuditAsync(new() { AuditId = "caller-recorded" })).Audit;

        Assert.Equal(("recording-system-7", "croydon-audit-local", "someone-else"), (stored.CallerSubject, stored.CallerClientId, stored.Submission.AuditorId));
    }

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static Task Call(global::Grpc.Net.Client.GrpcChannel channel, string method)
    {
        var grading = new GradingService.GradingServiceClient(channel);
        var rules = new RuleSetService.RuleSetServiceClient(channel);
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "role-call");
        var files = RuleFiles.Of(RepositoryRoot.FixtureRules).ToList();
        return method switch
        {
            "PreviewGrade" => grading.PreviewGradeAsync(new() { Audit = audit }).ResponseAsync,
            "GradeAudit" => grading.GradeAuditAsync(new() { Audit = audit }).ResponseAsync,
            "GetAudit" => grading.GetAuditAsync(new() { AuditId = "for-roles" }).ResponseAsync,
            "ListAudits" => grading.ListAuditsAsync(new()).ResponseAsync,
            "ListTeams" => grading.ListTeamsAsync(new()).ResponseAsync,
            "RegradeAudit" => grading.RegradeAuditAsync(new() { AuditId = "for-roles" }).ResponseAsync,
            "RegradeAudits" => grading.RegradeAuditsAsync(new() { MaxAudits = 1 }).ResponseAsync,
            "GetActiveRuleSet" => rules.GetActiveRuleSetAsync(new()).ResponseAsync,
            "ListRuleSets" => rules.ListRuleSetsAsync(new()).ResponseAsync,
            "GetRuleSetStatus" => rules.GetRuleSetStatusAsync(new()).ResponseAsync,
            "DiffRuleSets" => rules.DiffRuleSetsAsync(new() { FromFiles = { files }, ToFiles = { files } }).ResponseAsync,
            "CheckRuleSet" => rules.CheckRuleSetAsync(new() { Files = { files } }).ResponseAsync,
            "ActivateRuleSet" => rules.ActivateRuleSetAsync(new() { Files = { files } }).ResponseAsync,
            "ProposeRuleSet" => rules.ProposeRuleSetAsync(new() { Files = { files } }).ResponseAsync,
            "GetAuditTemplate" => grading.GetAuditTemplateAsync(new()).ResponseAsync,
            "ApproveRuleSet" => rules.ApproveRuleSetAsync(new() { Version = "0123456789abcdef" }).ResponseAsync,
            "PreviewRuleSetImpact" => rules.PreviewRuleSetImpactAsync(new() { Files = { files } }).ResponseAsync,
            "RecordModerationDecision" => new ReportService.ReportServiceClient(channel).RecordModerationDecisionAsync(
                new() { AuditId = "for-roles", Outcome = ModerationOutcome.Agreed }).ResponseAsync,
            "ListModerationQueue" => new ReportService.ReportServiceClient(channel).ListModerationQueueAsync(new()).ResponseAsync,
            "GetProgrammeReport" => new ReportService.ReportServiceClient(channel).GetProgrammeReportAsync(new()).ResponseAsync,
            _ => new AccessLogService.AccessLogServiceClient(channel).ListAccessRecordsAsync(new()).ResponseAsync,
        };
    }
}
