using System.Text;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// Rewrites stored revisions as a store written before answers were kept (V15) holds them: their submission and result
/// as JSON documents, and no answer. Each revision's documents are what the service wrote then for the parts its answer
/// was made of: the submission as sent (<paramref name="sentWithoutAuditedAt"/>: without the audited_at the answer fills
/// in with the time of receipt), the result without its trace and revision number.
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

        return answers.Count;
    }
}
