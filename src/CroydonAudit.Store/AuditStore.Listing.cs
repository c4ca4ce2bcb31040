using CroydonAudit.Grading.Domain;
using Npgsql;

namespace CroydonAudit.Store;

// ListAudits' pages: one statement per combination of filters, each walking the index made for it.
public sealed partial class AuditStore
{
    private const string PageColumns = """
        SELECT audit_id AS AuditId, revision AS Revision, case_reference AS CaseReference, auditor_id AS AuditorId,
               team AS Team, overall_grade AS OverallGrade, status AS Status, moderation_required AS ModerationRequired,
               rule_set_version AS RuleSetVersion, graded_at AS GradedAt, reason AS Reason,
               moderated_at IS NOT NULL AS Moderated, coalesce(final_grade, overall_grade) AS FinalGrade
        FROM audit_revision
        WHERE is_latest
        """;

    // A page's statement names only the filters it was given, so PostgreSQL walks the one index made for them (V7-V10,
    // V12, V18, V25) in the listing's order and stops at the page's end; "(@team IS NULL OR team = @team)" would leave
    // it only the walk by time. The walked filter (auditor, else team, else grade) also leads the order, compared with
    // an array of its one value, so that no other index gives that order (benchmarks/README.md, "Listings planned once").
    // The grade of record, written as the expression V25's indexes are made on.
    private const string GradeOfRecord = "coalesce(final_grade, overall_grade)";

    internal static NpgsqlBatchCommand PageStatement(AuditListQuery query)
    {
        var sql = new System.Text.StringBuilder(PageColumns);
        var page = new NpgsqlBatchCommand();
        var leading = query.AwaitingModeration ? null
            : !string.IsNullOrEmpty(query.AuditorId) ? "auditor_id"
            : !string.IsNullOrEmpty(query.Team) ? "team"
            : query.OverallGrade != Grade.Unspecified ? "overall_grade"
            : query.FinalGrade != Grade.Unspecified ? GradeOfRecord
            : null;
        void Condition<T>(string condition, string parameter, T value)
        {
            sql.Append(" AND ").Append(condition);
            page.Parameters.Add(new NpgsqlParameter<T>(parameter, value));
        }

        void Equal<T>(string column, string parameter, T value) =>
            Condition(column == leading ? $"{column} = ANY (ARRAY[@{parameter}])" : $"{column} = @{parameter}", parameter, value);

        if (!string.IsNullOrEmpty(query.Team))
        {
            Equal("team", "team", query.Team);
        }

        if (!string.IsNullOrEmpty(query.AuditorId))
        {
            Equal("auditor_id", "auditorId", query.AuditorId);
        }

        if (query.OverallGrade != Grade.Unspecified)
        {
            Equal("overall_grade", "grade", (short)query.OverallGrade);
        }

        if (query.FinalGrade != Grade.Unspecified)
        {
            Equal(GradeOfRecord, "finalGrade", (short)query.FinalGrade);
        }

        if (query.GradedFrom is { } from)
        {
            Condition("graded_at >= @from", "from", from);
        }

        if (query.GradedTo is { } to)
        {
            Condition("graded_at < @to", "to", to);
        }

        // Awaiting moderation walks V12's index, either way; the queue is listed oldest first, every other listing newest first.
        if (query.AwaitingModeration)
        {
            sql.Append(" AND moderation_required AND moderated_at IS NULL");
        }

        // A status as the number itself, not a parameter: incomplete audits then walk V18's index, which holds only them.
        if (query.Status is { } status)
        {
            sql.Append(" AND status = ").Append((int)status);
        }

        if (query.After is { } after)
        {
            Condition(query.OldestFirst ? "(graded_at, audit_id) > (@afterAt, @afterId)" : "(graded_at, audit_id) < (@afterAt, @afterId)", "afterAt", after.GradedAt);
            page.Parameters.Add(new NpgsqlParameter<string>("afterId", after.AuditId));
        }

        sql.Append(" ORDER BY ").Append(leading is null ? "" : $"{leading}, ");
        sql.Append(query.OldestFirst ? "graded_at, audit_id LIMIT @limit" : "graded_at DESC, audit_id DESC LIMIT @limit");
        page.Parameters.Add(new NpgsqlParameter<int>("limit", query.PageSize + 1));
        page.CommandText = sql.ToString();
        return page;
    }

    /// <summary>The teams with stored audits, by name, with how many audits each has: at most <paramref name="max"/>, and whether there are more.</summary>
    public Task<(IReadOnlyList<(string Team, long Audits)> Teams, bool Truncated)> ListTeamsAsync(int max, CancellationToken cancellationToken) =>
        Read(max, static async (store, max, ct) =>
        {
            // From the report's narrow figures, one row per audit: teams are few, and this is read at most once a minute.
            await using var connection = await store._reads.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT team, count(*) FROM audit_figures GROUP BY team ORDER BY team LIMIT $1", connection)
            {
                Parameters = { new NpgsqlParameter<int> { TypedValue = max + 1 } },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            var teams = new List<(string, long)>();
            while (await reader.ReadAsync(ct))
            {
                teams.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return ((IReadOnlyList<(string, long)>)teams.Take(max).ToList(), teams.Count > max);
        }, cancellationToken);

    /// <summary>The latest revision of each audit matching the query, newest first (or oldest, as the query says), one page at a time.</summary>
    public Task<AuditPage> ListAsync(AuditListQuery query, CancellationToken cancellationToken) =>
        Read(query, static async (store, query, ct) =>
        {
            await using var connection = await store._reads.OpenConnectionAsync(ct);
            // Each page's statement names only its filters, so its one plan is the walk of their index whatever their values.
            await using var batch = PlannedOnce(connection, PageStatement(query));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var page = new List<AuditSummary>(query.PageSize);
            AuditPageToken? next = null;
            while (await reader.ReadAsync(ct))
            {
                if (page.Count == query.PageSize)
                {
                    next = new AuditPageToken(page[^1].GradedAt, page[^1].AuditId);
                    break;
                }

                page.Add(new AuditSummary(
                    reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    (Grade)reader.GetInt16(5), (AuditStatus)reader.GetInt16(6), reader.GetBoolean(7), reader.GetString(8),
                    reader.GetFieldValue<DateTimeOffset>(9), (RevisionReason)reader.GetInt16(10), reader.GetBoolean(11), (Grade)reader.GetInt16(12)));
            }

            while (await reader.NextResultAsync(ct))
            {
            }

            return new AuditPage(page, next);
        }, cancellationToken);
}
