using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using Npgsql;
using Polly;

namespace CroydonAudit.Store.Moderation;

/// <summary>
/// Moderators' decisions, in PostgreSQL. A decision, the revision's leaving the moderation queue and the access
/// log's record of it (a write, or a refusal: another team's audit, or none) are one statement: all or nothing.
/// </summary>
public sealed class ModerationStore(NpgsqlDataSource dataSource, StoreSchema schema, ResiliencePipeline pipeline)
{
    private const string Record = """
        WITH target AS (
            SELECT audit_id, revision, team, overall_grade FROM audit_revision
            WHERE audit_id = $1 AND (revision = $2 OR ($2 = 0 AND is_latest))
        ), allowed AS (
            SELECT * FROM target WHERE $6::text IS NULL OR team = $6
        ), decided AS (
            INSERT INTO moderation_decision (audit_id, revision, outcome, final_grade, reason, decided_by_subject, decided_by_client)
            SELECT audit_id, revision, $3, coalesce($4, overall_grade), $5, $7, $8 FROM allowed
            RETURNING audit_id, revision, outcome, final_grade, reason, decided_by_subject, decided_at
        ), left_queue AS (
            -- The decision is the revision's grade of record (V25), in lists and in the report, whose month is worked out again.
            UPDATE audit_revision AS r SET moderated_at = coalesce(r.moderated_at, now()), final_grade = d.final_grade
            FROM decided AS d WHERE r.audit_id = d.audit_id AND r.revision = d.revision
        ), counted AS (
            UPDATE audit_figures AS f SET final_grade = d.final_grade
            FROM decided AS d WHERE f.audit_id = d.audit_id AND f.revision = d.revision
            RETURNING f.month
        ), stale_month AS (
            INSERT INTO report_month_version AS v (month, version) SELECT month, 1 FROM counted
            ON CONFLICT (month) DO UPDATE SET version = v.version + 1
        ), recorded AS (
            INSERT INTO access_record (subject, client, roles, method, action, audit_id, revision, reason)
            SELECT $7, $8, string_to_array($9, ' '), $10, CASE WHEN EXISTS (SELECT FROM allowed) THEN 'write' ELSE 'refused' END,
                   $1, CASE WHEN EXISTS (SELECT FROM allowed) THEN t.revision END,
                   CASE WHEN t.audit_id IS NULL THEN 'not-found' WHEN NOT EXISTS (SELECT FROM allowed) THEN 'team' END
            FROM (SELECT) AS one LEFT JOIN target AS t ON true
        )
        SELECT (SELECT count(*) FROM target), d.audit_id, d.revision, d.outcome, d.final_grade, d.reason, d.decided_by_subject, d.decided_at
        FROM (SELECT) AS one LEFT JOIN decided AS d ON true
        """;

    private readonly StoreCalls _calls = new(schema, pipeline);

    /// <summary>
    /// Records <paramref name="by"/>'s decision on a revision (0: the latest) of an audit: agreed when
    /// <paramref name="finalGrade"/> is null, else that grade. Null when there is no such audit or revision;
    /// Allowed false (nothing recorded but the refusal) when <paramref name="team"/> limits the moderator to another team.
    /// </summary>
    public Task<(ModerationDecision? Decision, bool Allowed)?> RecordAsync(
        string auditId, int revision, Grade? finalGrade, string reason, Accessor by, string? team, CancellationToken cancellationToken) =>
        _calls.Run((Source: dataSource, AuditId: auditId, Revision: revision, Grade: finalGrade, Reason: reason, By: by, Team: team), static async (call, ct) =>
        {
            await using var connection = await call.Source.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(Record, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = call.AuditId },
                    new NpgsqlParameter<int> { TypedValue = call.Revision },
                    new NpgsqlParameter<string> { TypedValue = call.Grade is null ? "agreed" : "grade_changed" },
                    new NpgsqlParameter<short?> { TypedValue = call.Grade is { } grade ? (short)grade : null },
                    new NpgsqlParameter<string> { TypedValue = call.Reason },
                    new NpgsqlParameter<string?> { TypedValue = call.Team },
                    new NpgsqlParameter<string> { TypedValue = call.By.Subject },
                    new NpgsqlParameter<string> { TypedValue = call.By.Client },
                    new NpgsqlParameter<string> { TypedValue = string.Join(' ', call.By.Roles) },
                    new NpgsqlParameter<string> { TypedValue = call.By.Method },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.GetInt64(0) == 0)
            {
                return ((ModerationDecision?, bool)?)null;
            }

            return reader.IsDBNull(1)
                ? (null, false)
                : (new ModerationDecision(
                    reader.GetString(1), reader.GetInt32(2), reader.GetString(3) == "grade_changed", (Grade)reader.GetInt16(4), reader.GetString(5),
                    reader.GetString(6), new DateTimeOffset(reader.GetFieldValue<DateTime>(7), TimeSpan.Zero)), true);
        }, cancellationToken);
}
