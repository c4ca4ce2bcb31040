using System.Text.Json;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using Npgsql;

namespace CroydonAudit.Store.Reporting;

/// <summary>
/// The programme report's figures, read from <c>audit_figures</c> (one narrow row per audit, see V13) in one round
/// trip: every statement of the report in one batch. Over a large store the report reads every row of its period,
/// for seconds: it runs on the pool of long reads (<see cref="StoreReads.Bulk"/>, no statement limit, two
/// connections, so reports never hold callers' or writers' connections), bounded by its caller's deadline.
/// </summary>
public sealed class ReportStore(StoreReads reads, StoreSchema schema)
{
    /// <summary>At most this many learning points are listed (the count says how many there are in all).</summary>
    public const int MaxLearningPoints = 200;

    /// <summary>At most this many auditors, deciding limits or kinds of finding are listed, most first.</summary>
    public const int MaxRows = 500;

    private const int Grades = 4;

    private const string InPeriod = "graded_at >= $1 AND graded_at < $2 AND ($3::text IS NULL OR team = $3)";

    // One pass over the period's rows for every fixed-size count: overall grades, agreement, and each area's
    // grades (1..4, 5 not applicable, 0 not graded: 54 counts).
    private static readonly string Totals = $"""
        SELECT count(*), {string.Join(", ", Enumerable.Range(1, Grades).Select(g => $"count(*) FILTER (WHERE overall_grade = {g})"))},
               count(*) FILTER (WHERE proposed_grade > 0), count(*) FILTER (WHERE proposed_grade = overall_grade),
               count(*) FILTER (WHERE moderation_required), coalesce(sum(learning_points), 0),
               {string.Join(",\n       ", Enumerable.Range(1, 9).SelectMany(a => Enumerable.Range(0, 6).Select(g => $"count(*) FILTER (WHERE area_grades[{a}] = {g})")))}
        FROM audit_figures WHERE {InPeriod}
        """;

    private const string ByMonth = $"""
        SELECT (date_trunc('month', graded_at AT TIME ZONE 'Europe/London'))::date, overall_grade, count(*)
        FROM audit_figures WHERE {InPeriod} GROUP BY 1, 2 ORDER BY 1, 2
        """;

    private static readonly string ByAuditor = $"""
        SELECT auditor_id, count(*), count(*) FILTER (WHERE proposed_grade > 0), count(*) FILTER (WHERE proposed_grade = overall_grade)
        FROM audit_figures WHERE {InPeriod} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {MaxRows}
        """;

    private static readonly string ByDecidingLimit = $"""
        SELECT l, count(*) FROM audit_figures, unnest(deciding_limits) AS l
        WHERE {InPeriod} AND cardinality(deciding_limits) > 0 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {MaxRows}
        """;

    private static readonly string ByFinding = $"""
        SELECT f, count(*) FROM audit_figures, unnest(findings) AS f
        WHERE {InPeriod} AND cardinality(findings) > 0 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {MaxRows}
        """;

    private const string ByValue = $"""
        SELECT v, count(*) FROM audit_figures, unnest(recommendation_values) AS v
        WHERE {InPeriod} AND cardinality(recommendation_values) > 0 GROUP BY 1 ORDER BY 1
        """;

    // The latest decision on each revision counted, from the (small) decisions table.
    private const string ModerationOutcomes = $"""
        SELECT count(*) FILTER (WHERE outcome = 'agreed'), count(*) FILTER (WHERE outcome = 'grade_changed'), count(*) FILTER (WHERE moderation_required)
        FROM (SELECT DISTINCT ON (m.audit_id, m.revision) m.outcome, f.moderation_required
              FROM moderation_decision AS m JOIN audit_figures AS f ON f.audit_id = m.audit_id AND f.revision = m.revision
              WHERE f.{InPeriod}
              ORDER BY m.audit_id, m.revision, m.id DESC) AS latest
        """;

    private static readonly string LearningPointsListed = $"""
        SELECT f.audit_id, f.team, f.graded_at, r.submission
        FROM (SELECT audit_id, revision, team, graded_at FROM audit_figures WHERE {InPeriod} AND learning_points > 0
              ORDER BY graded_at DESC, audit_id DESC LIMIT {MaxLearningPoints}) AS f
        JOIN audit_revision AS r ON r.audit_id = f.audit_id AND r.revision = f.revision
        ORDER BY f.graded_at DESC, f.audit_id DESC
        """;

    private readonly StoreCalls _calls = new(schema, reads.Pipeline);

    /// <summary>The figures of audits graded in [<paramref name="from"/>, <paramref name="to"/>), of <paramref name="team"/> alone when given.</summary>
    public Task<ProgrammeFigures> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? team, CancellationToken cancellationToken) =>
        _calls.Run((Source: reads.Bulk, From: from, To: to, Team: team), static async (call, ct) =>
        {
            await using var connection = await call.Source.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var sql in new[] { Totals, ByMonth, ByAuditor, ByDecidingLimit, ByFinding, ByValue, ModerationOutcomes, LearningPointsListed })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = call.From });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = call.To });
                command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = call.Team, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var audits = reader.GetInt64(0);
            var overall = Counts(reader, 1, Grades);
            var agreement = new Agreement(audits, reader.GetInt64(5), reader.GetInt64(6));
            var moderationRequired = reader.GetInt64(7);
            var learningPointCount = reader.GetInt64(8);
            var areas = Enumerable.Range(0, 9).Select(a =>
            {
                var counts = Counts(reader, 9 + (a * 6), 6);
                return new AreaFigures((PracticeArea)(a + 1), counts[1..5], counts[5], counts[0]);
            }).ToList();

            await reader.NextResultAsync(ct);
            var months = new List<MonthFigures>();
            while (await reader.ReadAsync(ct))
            {
                var month = reader.GetFieldValue<DateOnly>(0);
                if (months.Count == 0 || months[^1].Month != month)
                {
                    months.Add(new MonthFigures(month, new long[Grades]));
                }

                if (reader.GetInt16(1) is var grade and >= 1 and <= Grades)
                {
                    ((long[])months[^1].Grades)[grade - 1] = reader.GetInt64(2);
                }
            }

            await reader.NextResultAsync(ct);
            var auditors = new List<AuditorAgreement>();
            while (await reader.ReadAsync(ct))
            {
                auditors.Add(new AuditorAgreement(reader.GetString(0), new Agreement(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))));
            }

            var limits = await RuleCountsAsync(reader, ct);
            var findings = await RuleCountsAsync(reader, ct);

            await reader.NextResultAsync(ct);
            var values = new List<ValueCount>();
            while (await reader.ReadAsync(ct))
            {
                values.Add(new ValueCount((CroydonValue)reader.GetInt16(0), reader.GetInt64(1)));
            }

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var moderation = new ModerationFigures(moderationRequired, reader.GetInt64(0), reader.GetInt64(1), moderationRequired - reader.GetInt64(2));

            await reader.NextResultAsync(ct);
            var points = new List<LearningPoint>();
            while (await reader.ReadAsync(ct) && points.Count < MaxLearningPoints)
            {
                var (auditId, team, gradedAt) = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
                using var submission = JsonDocument.Parse(reader.GetString(3));
                if (submission.RootElement.TryGetProperty("organisational_learning_points", out var listed) && listed.ValueKind == JsonValueKind.Array)
                {
                    points.AddRange(listed.EnumerateArray().Select(p => new LearningPoint(auditId, team, gradedAt, p.GetString() ?? "")));
                }
            }

            return new ProgrammeFigures(audits, overall, areas, months, limits, findings, agreement, auditors, moderation, values,
                points.Take(MaxLearningPoints).ToList(), learningPointCount);
        }, cancellationToken);

    private static long[] Counts(NpgsqlDataReader reader, int first, int count) =>
        [.. Enumerable.Range(first, count).Select(reader.GetInt64)];

    private static async Task<List<RuleCount>> RuleCountsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        var counts = new List<RuleCount>();
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new RuleCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return counts;
    }
}
