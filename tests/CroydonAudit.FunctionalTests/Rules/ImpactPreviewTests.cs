using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>PreviewRuleSetImpact re-grades stored audits with a candidate and reports what would change, writing nothing.</summary>
public sealed class ImpactPreviewTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task PreviewRuleSetImpact_CandidateWithFailingCases_ReportsTheChangesAndTheFailingCasesAndWritesNothing()
    {
        await Store("impact-good-1", "Impact Team", CareActCompliance.Compliant);
        await Store("impact-good-2", "Impact Team", CareActCompliance.Compliant);
        await Store("impact-partial-1", "Impact Team", CareActCompliance.Partial);
        await Store("impact-partial-other", "Other Team", CareActCompliance.Partial);
        using var candidate = new RuleFolderCopy();
        RuleMistakes.Make(candidate, "failing worked case");
        var rows = host.Database.Count("SELECT count(*) FROM audit_revision");

        var report = (await host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { RuleFiles.Of(candidate.Path) }, Team = "Impact Team" })).Report;

        Assert.Equal((3, 1), (report.Compared, report.Changed));
        Assert.Equal(["impact-partial-1"], report.ChangedAuditIds);
        Assert.Contains(report.GradeChanges, g => (g.From, g.To, g.Audits) == (Grade.RequiresImprovement, Grade.Inadequate, 1));
        Assert.Contains(report.GradeChanges, g => (g.From, g.To, g.Audits) == (Grade.Good, Grade.Good, 2));
        Assert.Empty(report.RuleFireCounts);
        Assert.Contains(report.FailingWorkedCases, c => c.File == "tests/care-act-partial.json");
        Assert.Equal(RuleFiles.VersionOf(candidate.Path), report.CandidateVersion);
        Assert.Contains("would change overall grade or status", report.Text, StringComparison.Ordinal);
        Assert.Equal(rows, host.Database.Count("SELECT count(*) FROM audit_revision"));

        // Audits stored with their documents, as before answers were kept, are compared from those: the same report.
        Assert.Equal(2, StoredBeforeAnswers.Rewrite(host.Database, sentWithoutAuditedAt: false, "audit_id IN ('impact-good-1', 'impact-partial-1')"));
        var fromDocuments = (await host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { RuleFiles.Of(candidate.Path) }, Team = "Impact Team" })).Report;
        Assert.Equal((report.Compared, report.Changed, report.ChangedAuditIds), (fromDocuments.Compared, fromDocuments.Changed, fromDocuments.ChangedAuditIds));
        Assert.Equal(report.GradeChanges, fromDocuments.GradeChanges);
        Assert.Equal(report.RuleFireCounts, fromDocuments.RuleFireCounts);
    }

    [Fact]
    public async Task PreviewRuleSetImpact_RuleRemoved_CountsItsFiringsAsGone()
    {
        await Store("impact-removed", "Removal Team", CareActCompliance.Partial);
        using var candidate = new RuleFolderCopy();
        candidate.EditRule("limits.json", "limit.care-act-partial", r => r["Enabled"] = false);

        var report = (await host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { RuleFiles.Of(candidate.Path) }, Team = "Removal Team" })).Report;

        Assert.Equal(new RuleFireCount { RuleId = "limit.care-act-partial", Stored = 1, Candidate = 0 }, Assert.Single(report.RuleFireCounts));

        // An audit stored as before, its rules' outcomes as rule_trace rows rather than in its own row, counts the same.
        Assert.Equal(1, StoredBeforeAnswers.Rewrite(host.Database, sentWithoutAuditedAt: false, "audit_id = 'impact-removed'"));
        var fromRows = (await host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { RuleFiles.Of(candidate.Path) }, Team = "Removal Team" })).Report;
        Assert.Equal(report.RuleFireCounts, fromRows.RuleFireCounts);
    }

    private Task Store(string id, string team, CareActCompliance careAct) =>
        host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = id; a.Team = team; a.KeyEvidence.CareAct = careAct; }) }).ResponseAsync;
}
