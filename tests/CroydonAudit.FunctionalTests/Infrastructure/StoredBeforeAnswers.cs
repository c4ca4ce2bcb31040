using CroydonAudit.Store.Contracts;
using System.Text;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// Rewrites stored revisions in the forms the store wrote before and still reads: as V16 kept them
/// (<see cref="OutcomesAsRows"/>: the answer, with the rules' outcomes as rows of rule_trace rather than in the
/// revision's own row, V17), or as a store written before answers were kept (V15) holds them (<see cref="Rewrite"/>):
/// their submission and result as JSON documents, no answer, and their outcomes as rows of rule_trace. Each
/// revision's documents are what the service wrote then for the parts its answer was made of: the submission as sent
/// (<paramref name="sentWithoutAuditedAt"/>: without the audited_at the answer fills in with the time of receipt), the
/// result without its trace and revision number.
/// </summary>
public static class StoredBeforeAnswers
{
    /// <summary>Rewrites the revisions <paramref name="where"/> (SQL on audit_revision) selects; returns how many.</summary>
    public static int Rewrite(TestDatabase database, bool sentWithoutAuditedAt, string where = "true")
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        var answers = new List<(long Id, byte[] Answer)>();
        using (var select = new NpgsqlCommand($"SELECT id, answer FROM audit_revision WHERE answer IS NOT NULL AND ({where})", connection))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                answers.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }
        }

        foreach (var (id, answer) in answers)
        {
            var (submission, result) = RecordMapping.Documents(answer);
            var documents = new PendingRevision(sentWithoutAuditedAt ? submission with { AuditedAt = null } : submission, result, default).Documents!.Value;
            using var update = new NpgsqlCommand("UPDATE audit_revision SET submission = $1, result = $2, answer = NULL WHERE id = $3", connection)
            {
                Parameters =
                {
                    new() { Value = Encoding.UTF8.GetString(documents.Submission) },
                    new() { Value = Encoding.UTF8.GetString(documents.Result) },
                    new() { Value = id },
                },
            };
            update.ExecuteNonQuery();
        }

        OutcomesAsRows(database, where);
        return answers.Count;
    }

    /// <summary>
    /// Moves the rules' outcomes of the revisions <paramref name="where"/> selects from their own row into rows of
    /// rule_trace, as V16 kept them; returns how many revisions moved.
    /// </summary>
    public static int OutcomesAsRows(TestDatabase database, string where = "true")
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using (var rows = new NpgsqlCommand(
            $"""
            INSERT INTO rule_trace (revision_id, position, fired, effect, explanation, error)
            SELECT r.id, o.position, o.fired, o.effect, o.explanation, o.error
            FROM audit_revision AS r, unnest(r.trace_positions, r.trace_fired, r.trace_effects, r.trace_explanations, r.trace_errors)
                AS o (position, fired, effect, explanation, error)
            WHERE r.trace_positions IS NOT NULL AND ({where})
            """,
            connection))
        {
            rows.ExecuteNonQuery();
        }

        using var emptied = new NpgsqlCommand(
            $"""
            UPDATE audit_revision AS r
            SET trace_positions = NULL, trace_fired = NULL, trace_effects = NULL, trace_explanations = NULL, trace_errors = NULL
            WHERE r.trace_positions IS NOT NULL AND ({where})
            """,
            connection);
        return emptied.ExecuteNonQuery();
    }
}
