using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>GradeAudit stores durably and idempotently; GetAudit reads any revision back exactly.</summary>
public sealed class GradeAuditTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task GradeAudit_NewAudit_StoresRevisionOneAndReadsBackExactly()
    {
        var audit = Audit("new-audit");

        var graded = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var stored = (await host.Client.GetAuditAsync(new() { AuditId = audit.AuditId })).Audit;

        Assert.Equal(1, graded.Revision);
        Assert.Equal(graded, stored.Result);
        Assert.Equal(15, stored.Result.Trace.Count);
        Assert.Equal(stored.ReceivedAt, stored.Submission.AuditedAt);
        Assert.Equal(audit, stored.Submission.Clone().Also(s => s.AuditedAt = null));
    }

    [Fact]
    public async Task GradeAudit_StoresEachRulesOutcomeOnce_AndGetAuditRebuildsEveryEntryInOrder()
    {
        // Six of the fixture's fifteen rules fire for this audit (base, limits, the override, a finding); the others did not fire and said nothing.
        var audit = FixtureCases.Load("override-leaves-hard-limit").Audit.Also(a => a.AuditId = "outcomes");

        var graded = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var stored = (await host.Client.GetAuditAsync(new() { AuditId = audit.AuditId })).Audit.Result;

        Assert.Equal(6, graded.Trace.Count(t => t.Fired));
        Assert.Equal(graded.Trace.Count(t => t.Fired), host.Database.Outcomes("r.audit_id = 'outcomes'"));
        Assert.Equal(graded.Trace, stored.Trace);
        Assert.Equal(15, stored.Trace.Count);
    }

    [Fact]
    public async Task GradeAudit_SameContentAgain_ReturnsTheStoredResultAndWritesNothing()
    {
        var audit = Audit("retried");
        var first = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var rows = (Revisions: host.Database.Count("SELECT count(*) FROM audit_revision"), Outcomes: host.Database.Outcomes());

        var again = (await host.Client.GradeAuditAsync(new() { Audit = audit.Clone() })).Result;

        Assert.Equal(first, again);
        Assert.Equal(rows, (host.Database.Count("SELECT count(*) FROM audit_revision"), host.Database.Outcomes()));
    }

    [Fact]
    public async Task GradeAudit_ChangedContent_MakesTheNextRevisionAndKeepsTheEarlierOne()
    {
        var audit = Audit("revised");
        var first = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        audit.KeyEvidence.CareAct = CareActCompliance.Partial;

        var second = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;

        Assert.Equal((1, 2), (first.Revision, second.Revision));
        Assert.Equal((Grade.Good, Grade.RequiresImprovement), (first.OverallGrade, second.OverallGrade));
        Assert.Equal(first, (await host.Client.GetAuditAsync(new() { AuditId = audit.AuditId, Revision = 1 })).Audit.Result);
        Assert.Equal(second, (await host.Client.GetAuditAsync(new() { AuditId = audit.AuditId, Revision = 2 })).Audit.Result);
        Assert.Equal(second, (await host.Client.GetAuditAsync(new() { AuditId = audit.AuditId })).Audit.Result);
    }

    [Fact]
    public async Task GradeAudit_ConcurrentSubmissionsOfOneAudit_NeverDuplicateOrLoseARevision()
    {
        var contents = Enumerable.Range(0, 8).Select(i => Audit("contended").Also(a => a.Team = $"Team {i}")).ToList();

        // Every content twice, all at once: 8 distinct contents make exactly revisions 1..8.
        var results = await Task.WhenAll(contents.Concat(contents).Select(async a => (a.Team, (await host.Client.GradeAuditAsync(new() { Audit = a })).Result)));

        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Result.Revision).Distinct().Order());
        Assert.All(results.GroupBy(r => r.Team), g => Assert.Single(g.Select(r => r.Result.Revision).Distinct()));
        Assert.Equal(8, host.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'contended'"));
        Assert.Equal(1, host.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'contended' AND is_latest"));
        Assert.Equal(results.Select(r => r.Result).DistinctBy(r => r.Revision).Sum(r => r.Trace.Count(t => t.Fired)), host.Database.Outcomes("r.audit_id = 'contended'"));
    }

    [Fact]
    public async Task GradeAudit_LogsOneEventWithIdsAndOutcomeButNoFreeText()
    {
        var audit = Audit("logged");
        audit.KeyEvidence.Risk = RiskPractice.Partial;

        var result = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;

        var logged = Assert.Single(host.Logs.Events, e => e.Values.TryGetValue("AuditId", out var id) && (string?)id == "logged");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, logged.Level);
        Assert.Equal(1, logged.Values["Revision"]);
        Assert.Equal(result.RuleSetVersion, logged.Values["RuleSetVersion"]);
        Assert.Equal("base.proposed limit.outstanding-evidence", logged.Values["FiredRules"]);
        Assert.All(
            [audit.SummaryOfFindings, audit.Strengths, audit.Learning, audit.Areas[0].Evidence, audit.CaseReference, result.Summary],
            text => Assert.DoesNotContain(host.Logs.Events, e => e.Message.Contains(text, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetAudit_UnknownAuditOrRevision_IsNotFound()
    {
        await host.Client.GradeAuditAsync(new() { Audit = Audit("known") });

        var unknownAudit = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GetAuditAsync(new() { AuditId = "never-graded" }));
        var unknownRevision = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GetAuditAsync(new() { AuditId = "known", Revision = 2 }));

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (unknownAudit.StatusCode, unknownRevision.StatusCode));
    }

    [Fact]
    public async Task GetAudit_NoIdOrNegativeRevision_IsInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GetAuditAsync(new() { Revision = -1 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("audit_id", error.Status.Detail);
        Assert.Contains("revision", error.Status.Detail);
    }

    [Fact]
    public async Task GradeAudit_InvalidAudit_IsRefusedAndNothingIsStored()
    {
        var audit = Audit("invalid");
        audit.Areas[0].Grade = (Grade)7;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GradeAuditAsync(new() { Audit = audit }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'invalid'"));
    }

    private static AuditSubmission Audit(string id) => FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = id);
}
