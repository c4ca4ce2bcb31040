using Croydon.Audit.V1;
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
