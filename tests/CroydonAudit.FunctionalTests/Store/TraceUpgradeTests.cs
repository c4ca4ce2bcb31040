using System.Security.Cryptography;
using System.Text.Json;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store.Schema;
using CroydonAudit.Store.Serialization;
using CroydonAudit.Testing;
using EvolveDb;
using EvolveDb.Migration;
using Npgsql;
using NpgsqlTypes;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// A database written before V2 held a trace row for every rule evaluated. Upgrading keeps only the
/// rows that say something, and every audit still reads back exactly as first graded.
/// </summary>
public sealed class TraceUpgradeTests
{
    [Fact]
    public async Task Upgrade_FromEveryTraceRow_KeepsOnlyOutcomes_AndGetAuditReturnsTheSameTrace_AndARetryIsAnsweredFromIt()
    {
        using var database = new TestDatabase();
        var sent = FixtureCases.Load("override-leaves-hard-limit").Audit.Also(a => a.AuditId = "stored-under-v1");
        var submission = sent.ToDomain();
        var graded = new AuditGrader(RuleSetLoader.Load(RepositoryRoot.FixtureRules), TimeProvider.System).Grade(submission) with { Revision = 1 };
        await StoreAsVersion1Did(database, submission, graded);
        Assert.Equal(graded.Trace.Count, database.Count("SELECT count(*) FROM rule_trace"));

        using var host = new GradingServiceHost(database);
        var stored = (await host.Client.GetAuditAsync(new() { AuditId = "stored-under-v1" })).Audit.Result;

        Assert.Equal(graded.ToContract(), stored);
        Assert.Equal(graded.Trace.Count(t => t.Fired), database.Count("SELECT count(*) FROM rule_trace"));
        Assert.Equal(3, database.Count("SELECT count(*) FROM schema_history WHERE success AND version IN ('1', '2', '3')"));

        // The content hash is taken of the same bytes as V1's store took it of: the same content sent again is a retry.
        var retried = await host.Client.GradeAuditAsync(new() { Audit = sent });
        Assert.Equal(1, retried.Result.Revision);
        Assert.Equal(1, database.Count("SELECT count(*) FROM audit_revision"));
    }

    // The V1 schema, and one revision written as V1's store wrote it: the result (revision included) as
    // json without its trace, and one trace row per rule.
    private static async Task StoreAsVersion1Did(TestDatabase database, CroydonAudit.Grading.Domain.AuditSubmission submission, CroydonAudit.Grading.Domain.GradingResult graded)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        new Evolve(connection, _ => { })
        {
            EmbeddedResourceAssemblies = [typeof(StoreSchema).Assembly],
            EmbeddedResourceFilters = ["CroydonAudit.Store.Migrations"],
            MetadataTableName = "schema_history",
            TargetVersion = new MigrationVersion("1"),
        }.Migrate();

        var submissionJson = JsonSerializer.SerializeToUtf8Bytes(submission, StoreJson.Default.AuditSubmission);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    """
                    INSERT INTO audit_revision (id, audit_id, revision, is_latest, content_hash, case_reference, auditor_id, team,
                        overall_grade, status, moderation_required, rule_set_version, received_at, graded_at, submission, result)
                    VALUES (1, $1, 1, true, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)
                    """,
                    submission.AuditId, SHA256.HashData(submissionJson), submission.CaseReference, submission.AuditorId, submission.Team,
                    (short)graded.OverallGrade, (short)graded.Status, graded.ModerationRequired, graded.RuleSetVersion, graded.GradedAt,
                    Json(submissionJson), Json(JsonSerializer.SerializeToUtf8Bytes(graded with { Trace = [] }, StoreJson.Default.GradingResult))),
                Command(
                    """
                    INSERT INTO rule_set_rule (rule_set_version, position, workflow, rule_id, guidance_ref)
                    SELECT $1, position - 1, workflow, rule_id, guidance_ref FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r (workflow, rule_id, guidance_ref, position)
                    """,
                    graded.RuleSetVersion, graded.Trace.Select(t => t.Workflow).ToArray(), graded.Trace.Select(t => t.RuleId).ToArray(), graded.Trace.Select(t => t.GuidanceRef).ToArray()),
                Command(
                    """
                    INSERT INTO rule_trace (revision_id, position, fired, effect, explanation, error)
                    SELECT 1, position - 1, fired, effect, explanation, error FROM unnest($1::boolean[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t (fired, effect, explanation, error, position)
                    """,
                    graded.Trace.Select(t => t.Fired).ToArray(), graded.Trace.Select(t => t.Effect).ToArray(), graded.Trace.Select(t => t.Explanation).ToArray(), graded.Trace.Select(t => t.Error).ToArray()),
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Json(byte[] json) => new() { NpgsqlDbType = NpgsqlDbType.Json, Value = json };

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
