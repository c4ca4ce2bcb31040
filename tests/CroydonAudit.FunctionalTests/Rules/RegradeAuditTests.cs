using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>RegradeAudit grades a stored audit again under the active rules, as a new revision that says why, keeping every earlier one.</summary>
public sealed class RegradeAuditTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;
    private readonly RuleFolderCopy _changed = new();

    public RegradeAuditTests()
    {
        _host = new RulesHost(RepositoryRoot.FixtureRules, _database);
        RuleMistakes.MakeCareActPartialInadequate(_changed);
    }

    [Fact]
    public async Task RegradeAudit_AfterARuleChange_StoresANewRevisionThatSaysWhy()
    {
        var audit = Audit("regraded", "Regrade Team");
        var first = (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var activated = await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });

        var regraded = await _host.Client.RegradeAuditAsync(new() { AuditId = "regraded" });
        var again = await _host.Client.RegradeAuditAsync(new() { AuditId = "regraded" });
        var retry = (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var latest = (await _host.Client.GetAuditAsync(new() { AuditId = "regraded" })).Audit;
        var original = (await _host.Client.GetAuditAsync(new() { AuditId = "regraded", Revision = 1 })).Audit;

        Assert.True(regraded.Regraded);
        Assert.Equal((2, Grade.Inadequate, activated.Active.Version), (regraded.Result.Revision, regraded.Result.OverallGrade, regraded.Result.RuleSetVersion));
        Assert.False(again.Regraded);
        Assert.Equal(regraded.Result, again.Result);
        Assert.Equal(first, retry);
        Assert.Equal((RevisionReason.RuleSetChanged, 2), (latest.Reason, latest.Result.Revision));
        Assert.Equal((RevisionReason.NewContent, first), (original.Reason, original.Result));
        Assert.Equal(original.Submission, latest.Submission);

        // The new revision is stored with its answer, as GradeAudit's are: the same, byte for byte, as its documents give.
        Assert.Equal(1, _database.Count("SELECT count(*) FROM audit_revision WHERE reason = 2 AND answer IS NOT NULL AND submission IS NULL"));
        Assert.Equal(1, StoredBeforeAnswers.Rewrite(_database, sentWithoutAuditedAt: false, "reason = 2"));
        var fromDocuments = (await _host.Client.GetAuditAsync(new() { AuditId = "regraded" })).Audit;
        Assert.Equal(fromDocuments.ToByteArray(), latest.ToByteArray());
    }

    [Fact]
    public async Task RegradeAudit_OfARevisionStoredWithItsDocuments_RegradesWhatTheyHold()
    {
        var audit = Audit("documents", "Regrade Team").Also(a => a.AuditedAt = null);
        var first = (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        // As a store written before answers were kept holds it.
        Assert.Equal(1, StoredBeforeAnswers.Rewrite(_database, sentWithoutAuditedAt: true, "audit_id = 'documents'"));
        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });

        var regraded = await _host.Client.RegradeAuditAsync(new() { AuditId = "documents" });
        var retry = (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var latest = (await _host.Client.GetAuditAsync(new() { AuditId = "documents" })).Audit;
        var original = (await _host.Client.GetAuditAsync(new() { AuditId = "documents", Revision = 1 })).Audit;

        Assert.Equal((true, 2, Grade.Inadequate), (regraded.Regraded, regraded.Result.Revision, regraded.Result.OverallGrade));
        Assert.Equal(first, retry);
        Assert.Equal(first, original.Result);
        Assert.Equal(original.Submission, latest.Submission);
        Assert.Equal(original.ReceivedAt, latest.Submission.AuditedAt);
        Assert.Equal(1, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'documents' AND revision = 2 AND answer IS NOT NULL AND submission IS NULL"));
    }

    [Fact]
    public async Task RegradeAudits_ByTeam_RegradesOnlyThoseGradedByAnotherRuleSet_InBatches()
    {
        foreach (var i in Enumerable.Range(0, 3))
        {
            await _host.Client.GradeAuditAsync(new() { Audit = Audit($"bulk-{i}", "Bulk Team") });
        }

        await _host.Client.GradeAuditAsync(new() { Audit = Audit("bulk-other", "Other Team") });
        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });

        var firstBatch = await _host.Client.RegradeAuditsAsync(new() { Team = "Bulk Team", MaxAudits = 2 });
        var secondBatch = await _host.Client.RegradeAuditsAsync(new() { Team = "Bulk Team", MaxAudits = 2 });
        var nothingLeft = await _host.Client.RegradeAuditsAsync(new() { Team = "Bulk Team" });

        Assert.Equal((2, 1), (firstBatch.Regraded, firstBatch.Remaining));
        Assert.Equal((1, 0), (secondBatch.Regraded, secondBatch.Remaining));
        Assert.Equal((0, 0), (nothingLeft.Regraded, nothingLeft.Remaining));
        Assert.Equal(1, (await _host.Client.GetAuditAsync(new() { AuditId = "bulk-other" })).Audit.Result.Revision);
        Assert.Equal(3, _database.Count("SELECT count(*) FROM audit_revision WHERE reason = 2"));
    }

    [Fact]
    public async Task RegradeAudits_OfThousands_WhereAHundredChange_StoresAHundredRevisions_AndKeepsEveryOtherDecision()
    {
        // 9,900 copies of an audit the change leaves alone (the seeder gives one in eleven a second revision), and 100
        // audits it grades down: 10,000 audits.
        var unchanged = FixtureCases.Load("complete-good").Audit.ToDomain();
        await StoreSeeding.SeedAsync(_host, 10_890, [unchanged, unchanged with { Learning = "The review date was added to the plan." }]);
        foreach (var i in Enumerable.Range(0, 100))
        {
            await _host.Client.GradeAuditAsync(new() { Audit = Audit($"graded-down-{i}", "Bulk Team") });
        }

        var audits = _database.Count("SELECT count(*) FROM audit_revision WHERE is_latest");
        var reports = new ReportService.ReportServiceClient(_host.Channel);
        foreach (var i in Enumerable.Range(1, 50))
        {
            await reports.RecordModerationDecisionAsync(new() { AuditId = $"seed-{i}", Outcome = ModerationOutcome.Agreed });
        }

        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });
        var calls = new List<RegradeAuditsResponse>();
        do
        {
            calls.Add(await _host.Client.RegradeAuditsAsync(new() { MaxAudits = 5_000 }));
        }
        while (calls[^1].Remaining > 0 && calls.Count < 5);

        Assert.Equal(10_000, audits);
        Assert.Equal(audits, calls.Sum(c => c.Checked));
        Assert.Equal(100, calls.Sum(c => c.Changed));
        Assert.Equal(100, calls.Sum(c => c.Regraded));
        var change = Assert.Single(calls.SelectMany(c => c.GradeChanges).GroupBy(c => (c.From, c.To)));
        Assert.Equal((Grade.RequiresImprovement, Grade.Inadequate, 100), (change.Key.From, change.Key.To, change.Sum(c => c.Audits)));
        Assert.Equal(100, _database.Count("SELECT count(*) FROM audit_revision WHERE reason = 2"));
        Assert.Equal(audits - 100, _database.Count("SELECT count(*) FROM audit_revision WHERE is_latest AND checked_rule_set_version IS NOT NULL AND reason = 1"));
        Assert.Equal(50, _database.Count($"SELECT count(*) FROM moderation_decision AS d JOIN audit_revision AS r USING (audit_id, revision) WHERE r.is_latest"));
        var again = await _host.Client.RegradeAuditsAsync(new());
        Assert.Equal((0, 0, 0), (again.Checked, again.Changed, again.Remaining));
    }

    [Fact]
    public async Task RegradeAudits_ThroughARollbackAndBack_StoresEachChange_AndEachCallFinishes()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("round-trip", "Round Team") });
        await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "steady"; a.Team = "Round Team"; }) });
        var grades = new List<(int Checked, int Changed, int Remaining, int Revision, Grade Grade)>();
        foreach (var rules in new[] { _changed.Path, RepositoryRoot.FixtureRules, _changed.Path })
        {
            await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(rules) } });
            var call = await _host.Client.RegradeAuditsAsync(new() { Team = "Round Team" });
            var again = await _host.Client.RegradeAuditsAsync(new() { Team = "Round Team" });
            Assert.Equal((0, 0, 0), (again.Checked, again.Changed, again.Remaining));
            var latest = (await _host.Client.GetAuditAsync(new() { AuditId = "round-trip" })).Audit.Result;
            grades.Add((call.Checked, call.Changed, call.Remaining, latest.Revision, latest.OverallGrade));
        }

        // The rollback finds the audit the changed rules left alone graded by its own rules already: only one to check.
        Assert.Equal(
            [(2, 1, 0, 2, Grade.Inadequate), (1, 1, 0, 3, Grade.RequiresImprovement), (1, 1, 0, 4, Grade.Inadequate)],
            grades);
        Assert.Equal(1, (await _host.Client.GetAuditAsync(new() { AuditId = "steady" })).Audit.Result.Revision);
    }

    [Fact]
    public async Task RegradeAudit_ThatDecidesTheSame_RecordsTheCheck_AndStoresNothing()
    {
        var first = (await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "same") })).Result;
        var activated = await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });

        var regraded = await _host.Client.RegradeAuditAsync(new() { AuditId = "same" });

        Assert.Equal((false, true), (regraded.Regraded, regraded.Checked));
        Assert.Equal(first, regraded.Result);
        Assert.Equal(1, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'same'"));
        Assert.Equal(1, _database.Count($"SELECT count(*) FROM audit_revision WHERE audit_id = 'same' AND checked_rule_set_version = '{activated.Active.Version}' AND checked_at IS NOT NULL"));
        Assert.Equal(1, _database.Count($"SELECT count(*) FROM access_record WHERE audit_id = 'same' AND action = 'read' AND query = 're-graded under rule set {activated.Active.Version}: unchanged'"));
    }

    [Fact]
    public async Task RegradedRevision_KeepsTheDecisionWhenItsModerationNeedAndGradeStand_AndGoesBackIntoTheQueueWhenNot()
    {
        var reports = new ReportService.ReportServiceClient(_host.Channel);
        foreach (var id in new[] { "reworded", "graded-down" })
        {
            await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a => a.AuditId = id) });
            await reports.RecordModerationDecisionAsync(new() { AuditId = id, Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.RequiresImprovement, Reason = "The override is not borne out." });
        }

        // Only a finding's words change: the moderation need and overall grade stand.
        using var reworded = new RuleFolderCopy();
        reworded.EditRule("findings.json", "finding.override-needs-moderation", r => r["Properties"]!["message"] = "The override needs a moderator to look at it.");
        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(reworded.Path) } });
        var kept = await _host.Client.RegradeAuditAsync(new() { AuditId = "reworded" });
        // Partial Care Act compliance now limits to Inadequate: the grade the moderator judged is gone.
        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(_changed.Path) } });
        var changed = await _host.Client.RegradeAuditAsync(new() { AuditId = "graded-down" });

        Assert.Equal((true, 2), (kept.Regraded, kept.Result.Revision));
        var carried = Assert.Single((await _host.Client.GetAuditAsync(new() { AuditId = "reworded" })).Audit.ModerationDecisions);
        Assert.Equal((1, ModerationOutcome.GradeChanged, Grade.RequiresImprovement), (carried.Revision, carried.Outcome, carried.FinalGrade));
        Assert.Equal((true, 2), (changed.Regraded, changed.Result.Revision));
        Assert.Empty((await _host.Client.GetAuditAsync(new() { AuditId = "graded-down" })).Audit.ModerationDecisions);
        Assert.Single((await _host.Client.GetAuditAsync(new() { AuditId = "graded-down", Revision = 1 })).Audit.ModerationDecisions);
        var queue = (await reports.ListModerationQueueAsync(new())).Audits.Select(a => a.AuditId).ToList();
        Assert.Equal(["graded-down"], queue);
    }

    [Fact]
    public async Task RegradeAudit_UnknownAudit_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.RegradeAuditAsync(new() { AuditId = "never-graded" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _changed.Dispose();
    }

    private static AuditSubmission Audit(string id, string team) =>
        FixtureCases.Load("care-act-partial").Audit.Also(a => { a.AuditId = id; a.Team = team; });
}
