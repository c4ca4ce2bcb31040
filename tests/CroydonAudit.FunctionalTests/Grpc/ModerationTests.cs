using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// Moderation over gRPC: the queue holds the latest revisions that need moderation and have none, oldest first;
/// a decision (agreed, or a final grade with a reason) is kept with who and when, shows with the audit, and takes
/// the revision out of the queue; a new revision needing moderation comes back into it; bad decisions are refused
/// naming their fields; a moderator limited to a team decides and lists only that team's audits.
/// </summary>
public sealed class ModerationTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task Decisions_ShowWithTheAudit_AndTakeItOutOfTheQueue_UntilANewRevisionNeedsModeration()
    {
        var team = "Moderation Team";
        await Store("needs-first", team, "override-relaxes-soft-limit");
        await Store("fine", team, "complete-good");
        await Store("needs-second", team, "override-relaxes-soft-limit");
        using var channel = host.ChannelFor(host.Token([Roles.Moderator], name: "moderator-mo"));
        var moderation = new ReportService.ReportServiceClient(channel);

        Assert.Equal(["needs-first", "needs-second"], await Queue(moderation, team));

        var agreed = (await moderation.RecordModerationDecisionAsync(new() { AuditId = "needs-first", Outcome = ModerationOutcome.Agreed })).Decision;
        var changed = (await moderation.RecordModerationDecisionAsync(new()
        {
            AuditId = "needs-first", Revision = 1, Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.RequiresImprovement,
            Reason = "The plan was not reviewed with the adult, so Good cannot stand.",
        })).Decision;
        var stored = (await new GradingService.GradingServiceClient(channel).GetAuditAsync(new() { AuditId = "needs-first" })).Audit;

        Assert.Equal(["needs-second"], await Queue(moderation, team));
        Assert.Equal((ModerationOutcome.Agreed, stored.Result.OverallGrade, "moderator-mo", 1), (agreed.Outcome, agreed.FinalGrade, agreed.DecidedBy, agreed.Revision));
        Assert.Equal(new[] { agreed, changed }, stored.ModerationDecisions.ToArray());
        Assert.Equal(Grade.RequiresImprovement, stored.ModerationDecisions[^1].FinalGrade);
        // The grade of record is the moderator's, over gRPC (the stored answer spliced) and REST (the message built);
        // the rules' grade stays beside it. An audit nobody moderated has the rules' grade as its grade of record.
        using var rest = host.RestClient(host.Token([Roles.Moderator]));
        var json = System.Text.Json.JsonDocument.Parse(await rest.GetStringAsync("/v1/audits/needs-first")).RootElement.GetProperty("audit");
        var listed = (await new GradingService.GradingServiceClient(channel).ListAuditsAsync(new() { Team = team, PageSize = 10 })).Audits.ToDictionary(a => a.AuditId);
        var unmoderated = (await new GradingService.GradingServiceClient(channel).GetAuditAsync(new() { AuditId = "fine" })).Audit;
        Assert.Equal((Grade.RequiresImprovement, Grade.Good), (stored.FinalGrade, stored.Result.OverallGrade));
        Assert.Equal("GRADE_REQUIRES_IMPROVEMENT", json.GetProperty("finalGrade").GetString());
        Assert.Equal((Grade.RequiresImprovement, Grade.Good, true), (listed["needs-first"].FinalGrade, listed["needs-first"].OverallGrade, listed["needs-first"].Moderated));
        Assert.Equal((Grade.Good, false), (listed["fine"].FinalGrade, listed["fine"].Moderated));
        Assert.Equal(unmoderated.Result.OverallGrade, unmoderated.FinalGrade);

        // New content needing moderation is a new revision, not yet moderated: back in the queue, at its new time.
        await Store("needs-first", team, "override-relaxes-soft-limit", learning: "Review the carer's needs at every visit.");
        Assert.Equal(["needs-second", "needs-first"], await Queue(moderation, team));
        Assert.Empty((await new GradingService.GradingServiceClient(channel).GetAuditAsync(new() { AuditId = "needs-first" })).Audit.ModerationDecisions);
    }

    [Fact]
    public async Task ManyDecisions_AreAllKept_AndTheAuditShowsTheLatest20()
    {
        await Store("often-moderated", "Busy Team", "override-relaxes-soft-limit");
        var moderation = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Moderator])));
        for (var i = 1; i <= 22; i++)
        {
            await moderation.RecordModerationDecisionAsync(new() { AuditId = "often-moderated", Outcome = ModerationOutcome.Agreed, Reason = $"Decision {i}." });
        }

        var shown = (await host.Client.GetAuditAsync(new() { AuditId = "often-moderated" })).Audit.ModerationDecisions;

        Assert.Equal(Enumerable.Range(3, 20).Select(i => $"Decision {i}."), shown.Select(d => d.Reason));
        Assert.Equal(22, host.Database.Count("SELECT count(*) FROM moderation_decision WHERE audit_id = 'often-moderated'"));
    }

    [Fact]
    public async Task BadDecisions_AreRefusedNamingTheirFields_AndNothingIsStored()
    {
        await Store("bad-decisions", "Bad Decision Team", "override-relaxes-soft-limit");
        var moderation = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Moderator])));
        var cases = new (RecordModerationDecisionRequest Request, string[] Fields)[]
        {
            (new() { AuditId = "bad-decisions" }, ["outcome"]),
            (new() { AuditId = "bad-decisions", Outcome = ModerationOutcome.GradeChanged }, ["final_grade"]),
            (new() { AuditId = "bad-decisions", Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.Good }, ["reason"]),
            (new() { AuditId = "bad-decisions", Outcome = ModerationOutcome.Agreed, FinalGrade = Grade.Good }, ["final_grade"]),
            (new() { AuditId = "bad decisions!", Revision = -1, Outcome = ModerationOutcome.Agreed, Reason = new string('x', 4_001) }, ["audit_id", "revision", "reason"]),
        };

        foreach (var (request, fields) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await moderation.RecordModerationDecisionAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal(fields, error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).Distinct());
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "never-graded", Outcome = ModerationOutcome.Agreed }));
        var noRevision = await Assert.ThrowsAsync<RpcException>(async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "bad-decisions", Revision = 9, Outcome = ModerationOutcome.Agreed }));
        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (unknown.StatusCode, noRevision.StatusCode));
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM moderation_decision WHERE audit_id = 'bad-decisions'"));
    }

    [Fact]
    public async Task TeamModerator_DecidesAndListsOnlyItsTeamsAudits()
    {
        await Store("other-teams", "Team North", "override-relaxes-soft-limit");
        await Store("own-teams", "Team South", "override-relaxes-soft-limit");
        var moderation = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Moderator], team: "Team South", name: "south-moderator")));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "other-teams", Outcome = ModerationOutcome.Agreed }));
        var listed = (await moderation.ListModerationQueueAsync(new())).Audits.Select(a => a.Team).Distinct();
        var otherQueue = await Assert.ThrowsAsync<RpcException>(async () => await moderation.ListModerationQueueAsync(new() { Team = "Team North" }));

        // Another team's audit is answered as one that is not there; asking for another team's queue is refused.
        Assert.Equal((StatusCode.NotFound, StatusCode.PermissionDenied), (refused.StatusCode, otherQueue.StatusCode));
        Assert.Equal(["Team South"], listed);
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM moderation_decision WHERE audit_id = 'other-teams'"));
        Assert.Equal(1, host.Database.Count("SELECT count(*) FROM access_record WHERE audit_id = 'other-teams' AND action = 'refused' AND reason = 'team' AND subject = 'south-moderator'"));
        await moderation.RecordModerationDecisionAsync(new() { AuditId = "own-teams", Outcome = ModerationOutcome.Agreed });
        Assert.Equal(1, host.Database.Count("SELECT count(*) FROM access_record WHERE audit_id = 'own-teams' AND action = 'write' AND subject = 'south-moderator'"));
    }

    private async Task Store(string auditId, string team, string fixture, string? learning = null) =>
        await host.Client.GradeAuditAsync(new()
        {
            Audit = FixtureCases.Load(fixture).Audit.Also(a =>
            {
                a.AuditId = auditId;
                a.Team = team;
                a.Learning = learning ?? a.Learning;
            }),
        });

    private static async Task<List<string>> Queue(ReportService.ReportServiceClient moderation, string team)
    {
        var ids = new List<string>();
        var request = new ListModerationQueueRequest { Team = team, PageSize = 1 };
        do
        {
            var page = await moderation.ListModerationQueueAsync(request);
            ids.AddRange(page.Audits.Select(a => a.AuditId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");

        return ids;
    }
}
