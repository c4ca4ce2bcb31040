using CroydonAudit.Store.Contracts;
using System.Text;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// A revision stored with its answer keeps no other record of its submission and result (V16): what the answer is read
/// back as (re-grades, impact previews, the report's learning points) is exactly what it was made of.
/// </summary>
public sealed class StoredAnswerTests
{
    [Fact]
    public void AnAnswer_ReadBack_IsTheSubmissionAndResultItWasMadeOf()
    {
        var grader = new AuditGrader(RuleSetLoader.Load(RepositoryRoot.FixtureRules), TimeProvider.System);
        var receivedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_560);
        var by = new Accessor("auditor-1", "case-system", ["grader"], "GradeAudit");
        var findings = 0;
        foreach (var (name, i) in FixtureCases.Names.Select((name, i) => (name, i)))
        {
            var audit = FixtureCases.Load(name).Audit.ToDomain();
            var submission = i % 2 == 0 ? audit with { AuditedAt = null } : audit;
            var result = grader.Grade(submission);
            findings += result.Findings.Count;

            var (readSubmission, readResult) = RecordMapping.Documents(RecordMapping.Answer(submission, result with { Revision = 3 }, receivedAt, RevisionReason.NewContent, by));

            // Compared as the JSON documents the store kept before answers (a record holding lists compares them by reference).
            // A submission sent without audited_at is read back with its time of receipt there, as GetAudit shows it; the
            // result without its trace and revision number (kept apart), and without the limits that decided it (kept as
            // the report's figures).
            var expected = Documents(submission with { AuditedAt = submission.AuditedAt ?? receivedAt }, result with { DecidingLimits = [] });
            Assert.Equal(expected, Documents(readSubmission, readResult));
            Assert.Equal((0, 0), (readResult.Revision, readResult.Trace.Count));
        }

        Assert.True(findings > 0);
    }

    [Fact]
    public async Task ARevision_LeftWithNeitherItsAnswerNorItsDocuments_IsRefused()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit });

        var refused = Assert.Throws<Npgsql.PostgresException>(() => database.Count("UPDATE audit_revision SET answer = NULL"));

        Assert.Equal("audit_revision_answer_or_documents", refused.ConstraintName);
        Assert.Equal(1, database.Count("SELECT count(*) FROM audit_revision WHERE answer IS NOT NULL"));
    }

    private static (string Submission, string Result) Documents(CroydonAudit.Grading.Domain.AuditSubmission submission, CroydonAudit.Grading.Domain.GradingResult result)
    {
        var documents = new PendingRevision(submission, result, default).Documents!.Value;
        return (Encoding.UTF8.GetString(documents.Submission), Encoding.UTF8.GetString(documents.Result));
    }
}
