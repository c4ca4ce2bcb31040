using System.Text.Json;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using CroydonAudit.Store.Serialization;
using Npgsql;

namespace CroydonAudit.Store.Reporting;

/// <summary>
/// The programme report's figures, from <c>audit_figures</c> (one narrow row per audit, V13). A report adds up its
/// period month by month: the months that have ended are worked out once, by team, and kept (<c>report_month</c>,
/// V14) until a write takes an audit out of one (it bumps the month's version in the same transaction); the rest
/// of the period — the current month, and the part-months at its edges — is counted as asked. So a report over a
/// million audits reads a few kept months and the current month's rows, not every row. Moderation outcomes and the
/// learning points are read as asked (by index, and from the small decisions table).
/// A report runs on the pool of long reads (<see cref="StoreReads.Bulk"/>: two connections, no statement limit), so
/// working out months never holds callers' or writers' connections; its caller's deadline bounds it. Learning points
/// are read from each audit's submission, in its stored answer (by <paramref name="answers"/>) or its document.
/// </summary>
public sealed class ReportStore(StoreReads reads, StoreSchema schema, TimeProvider clock, AnswerReader answers)
{
    /// <summary>At most this many learning points are listed (the count says how many there are in all).</summary>
    public const int MaxLearningPoints = 200;

    /// <summary>At most this many auditors, deciding limits or kinds of finding are listed, most first.</summary>
    public const int MaxRows = 500;

    /// <summary>How long after a month ends before it is kept: longer than any write graded in it takes to commit.</summary>
    public static readonly TimeSpan KeepAfter = TimeSpan.FromDays(1);

    private const int Grades = 4;

    private readonly StoredDocuments _documents = new(answers);

    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // Each audit's London month (a stored column of audit_figures, V14).
    private const string Month = "month";

    private const string InRange = "graded_at >= $1 AND graded_at < $2 AND ($3::text IS NULL OR team = $3)";

    // Counts by month and team, over a range (and perhaps one team): one statement per kind of count.
    private static readonly string[] ByMonthAndTeam =
    [
        $"""
        SELECT {Month}, team, count(*), {string.Join(", ", Enumerable.Range(1, Grades).Select(g => $"count(*) FILTER (WHERE overall_grade = {g})"))},
               count(*) FILTER (WHERE proposed_grade > 0), count(*) FILTER (WHERE proposed_grade = overall_grade),
               count(*) FILTER (WHERE moderation_required), coalesce(sum(learning_points), 0),
               {string.Join(",\n       ", Enumerable.Range(1, 9).SelectMany(a => Enumerable.Range(0, FigureSums.AreaCounts).Select(g => $"count(*) FILTER (WHERE area_grades[{a}] = {g})")))},
               {string.Join(", ", Enumerable.Range(1, Grades).Select(g => $"count(*) FILTER (WHERE coalesce(final_grade, overall_grade) = {g})"))}
        FROM audit_figures WHERE {InRange} GROUP BY 1, 2
        """,
        $"""
        SELECT {Month}, team, auditor_id, count(*), count(*) FILTER (WHERE proposed_grade > 0), count(*) FILTER (WHERE proposed_grade = overall_grade)
        FROM audit_figures WHERE {InRange} GROUP BY 1, 2, 3
        """,
        $"SELECT {Month}, team, l, count(*) FROM audit_figures, unnest(deciding_limits) AS l WHERE {InRange} AND cardinality(deciding_limits) > 0 GROUP BY 1, 2, 3",
        $"SELECT {Month}, team, f, count(*) FROM audit_figures, unnest(findings) AS f WHERE {InRange} AND cardinality(findings) > 0 GROUP BY 1, 2, 3",
        $"SELECT {Month}, team, v, count(*) FROM audit_figures, unnest(recommendation_values) AS v WHERE {InRange} AND cardinality(recommendation_values) > 0 GROUP BY 1, 2, 3",
    ];

    // The kept months asked for that still hold (their version is the month's current one), and every asked
    // month's current version, read in the same snapshot as the counts worked out after it.
    private const string KeptMonths = """
        SELECT m.month, m.figures FROM report_month AS m LEFT JOIN report_month_version AS v USING (month)
        WHERE m.month = ANY ($1) AND m.version = coalesce(v.version, 0)
        """;

    private const string MonthVersions = """
        SELECT a.month, coalesce(v.version, 0) FROM unnest($1::date[]) AS a (month) LEFT JOIN report_month_version AS v USING (month)
        """;

    // A newer worked-out month replaces an older one; an older never replaces a newer.
    private const string KeepMonths = """
        INSERT INTO report_month AS m (month, version, figures) SELECT * FROM unnest($1::date[], $2::bigint[], $3::bytea[])
        ON CONFLICT (month) DO UPDATE SET version = excluded.version, figures = excluded.figures WHERE m.version < excluded.version
        """;

    private const string InPeriod = "graded_at >= $1 AND graded_at < $2 AND ($3::text IS NULL OR team = $3)";

    // The latest decision on each revision counted, from the (small) decisions table.
    private const string ModerationOutcomes = $"""
        SELECT count(*) FILTER (WHERE outcome = 'agreed'), count(*) FILTER (WHERE outcome = 'grade_changed'), count(*) FILTER (WHERE moderation_required)
        FROM (SELECT DISTINCT ON (m.audit_id, m.revision) m.outcome, f.moderation_required
              FROM moderation_decision AS m JOIN audit_figures AS f ON f.audit_id = m.audit_id AND f.revision = m.revision
              WHERE f.{InPeriod}
              ORDER BY m.audit_id, m.revision, m.id DESC) AS latest
        """;

    private static readonly string LearningPointsListed = $"""
        SELECT f.audit_id, f.team, f.graded_at, r.submission, r.answer
        FROM (SELECT audit_id, revision, team, graded_at FROM audit_figures WHERE {InPeriod} AND learning_points > 0
              ORDER BY graded_at DESC, audit_id DESC LIMIT {MaxLearningPoints}) AS f
        JOIN audit_revision AS r ON r.audit_id = f.audit_id AND r.revision = f.revision
        ORDER BY f.graded_at DESC, f.audit_id DESC
        """;

    // No attempt timeout or retry: working out months takes seconds on a large store, and starting again would
    // only repeat it. The caller's deadline bounds it; an unreachable store is still UNAVAILABLE.
    private readonly StoreCalls _calls = new(schema, Polly.ResiliencePipeline.Empty);

    /// <summary>The figures of audits graded in [<paramref name="from"/>, <paramref name="to"/>), of <paramref name="team"/> alone when given.</summary>
    public Task<ProgrammeFigures> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? team, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, From: from, To: to, Team: team), static (call, ct) => call.Store.ReadOnceAsync(call.From, call.To, call.Team, ct), cancellationToken);

    private async Task<ProgrammeFigures> ReadOnceAsync(DateTimeOffset from, DateTimeOffset to, string? team, CancellationToken ct)
    {
        var kept = KeptMonthsOf(from, to, clock.GetUtcNow());
        await using var connection = await reads.Bulk.OpenConnectionAsync(ct);
        var months = new SortedDictionary<DateOnly, Dictionary<string, FigureSums>>();
        List<(DateOnly Month, long Version, byte[] Figures)> toKeep = [];
        (long Agreed, long GradeChanged, long DecidedNeeding, List<LearningPoint> Points) decided;

        // One snapshot for the kept months' versions and everything counted.
        await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
        {
            var missing = new HashSet<DateOnly>(kept);
            var versions = new Dictionary<DateOnly, long>();
            if (kept.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands = { Statement(KeptMonths, kept.ToArray()), Statement(MonthVersions, kept.ToArray()) },
                };
                await using var reader = await batch.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var month = reader.GetFieldValue<DateOnly>(0);
                    months[month] = JsonSerializer.Deserialize<Dictionary<string, FigureSums>>(reader.GetFieldValue<byte[]>(1))!;
                    missing.Remove(month);
                }

                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    versions[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt64(1);
                }
            }

            // Months to work out and keep, every team; then the rest of the period, for the team asked.
            if (missing.Count > 0)
            {
                var counted = await CountAsync(connection, transaction, StartOf(missing.Min()), StartOf(missing.Max().AddMonths(1)), null, ct);
                foreach (var month in missing)
                {
                    var figures = counted.GetValueOrDefault(month) ?? [];
                    months[month] = figures;
                    toKeep.Add((month, versions.GetValueOrDefault(month), JsonSerializer.SerializeToUtf8Bytes(figures)));
                }
            }

            foreach (var (start, end) in UnkeptParts(from, to, kept))
            {
                foreach (var (month, teams) in await CountAsync(connection, transaction, start, end, team, ct))
                {
                    var into = months.TryGetValue(month, out var existing) ? existing : months[month] = [];
                    foreach (var (name, sums) in teams)
                    {
                        (into.TryGetValue(name, out var mine) ? mine : into[name] = new FigureSums()).Add(sums);
                    }
                }
            }

            decided = await ModerationAndLearningAsync(connection, transaction, from, to, team, ct);
            await transaction.CommitAsync(ct);
        }

        if (toKeep.Count > 0)
        {
            await using var keep = new NpgsqlBatch(connection)
            {
                BatchCommands = { Statement(KeepMonths, toKeep.Select(k => k.Month).ToArray(), toKeep.Select(k => k.Version).ToArray(), toKeep.Select(k => k.Figures).ToArray()) },
            };
            await keep.ExecuteNonQueryAsync(ct);
        }

        return Figures(months, team, decided);
    }

    // The whole London months inside [from, to) that ended at least KeepAfter before now.
    private static List<DateOnly> KeptMonthsOf(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var months = new List<DateOnly>();
        var local = TimeZoneInfo.ConvertTime(from, London);
        var month = new DateOnly(local.Year, local.Month, 1);
        if (StartOf(month) < from)
        {
            month = month.AddMonths(1);
        }

        for (; StartOf(month.AddMonths(1)) <= to && StartOf(month.AddMonths(1)) <= now - KeepAfter; month = month.AddMonths(1))
        {
            months.Add(month);
        }

        return months;
    }

    // The period's parts outside the kept months: before the first and after the last (the whole period when none).
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> UnkeptParts(DateTimeOffset from, DateTimeOffset to, List<DateOnly> kept)
    {
        if (kept.Count == 0)
        {
            yield return (from, to);
            yield break;
        }

        if (from < StartOf(kept[0]))
        {
            yield return (from, StartOf(kept[0]));
        }

        if (StartOf(kept[^1].AddMonths(1)) < to)
        {
            yield return (StartOf(kept[^1].AddMonths(1)), to);
        }
    }

    private static DateTimeOffset StartOf(DateOnly month)
    {
        var midnight = month.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, London.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static async Task<Dictionary<DateOnly, Dictionary<string, FigureSums>>> CountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset start, DateTimeOffset end, string? team, CancellationToken ct)
    {
        var months = new Dictionary<DateOnly, Dictionary<string, FigureSums>>();
        FigureSums Sums(NpgsqlDataReader reader)
        {
            var month = months.TryGetValue(reader.GetFieldValue<DateOnly>(0), out var teams) ? teams : months[reader.GetFieldValue<DateOnly>(0)] = new(StringComparer.Ordinal);
            var name = reader.GetString(1);
            return month.TryGetValue(name, out var sums) ? sums : month[name] = new FigureSums();
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in ByMonthAndTeam)
        {
            batch.BatchCommands.Add(Range(sql, start, end, team));
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var sums = Sums(reader);
            sums.Audits = reader.GetInt64(2);
            sums.Overall = Counts(reader, 3, Grades);
            (sums.Proposed, sums.Agreed, sums.ModerationRequired, sums.LearningPoints) = (reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10));
            sums.Areas = Counts(reader, 11, 9 * FigureSums.AreaCounts);
            sums.Final = Counts(reader, 11 + (9 * FigureSums.AreaCounts), Grades);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Sums(reader).Auditors[reader.GetString(2)] = Counts(reader, 3, 3);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Sums(reader).Limits[reader.GetString(2)] = reader.GetInt64(3);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Sums(reader).Findings[reader.GetString(2)] = reader.GetInt64(3);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Sums(reader).Values[reader.GetInt16(2)] = reader.GetInt64(3);
        }

        return months;
    }

    // The latest decisions' outcomes (and how many of them were on audits needing moderation), and the learning points listed.
    private async Task<(long Agreed, long GradeChanged, long DecidedNeeding, List<LearningPoint> Points)> ModerationAndLearningAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset from, DateTimeOffset to, string? team, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { Range(ModerationOutcomes, from, to, team), Range(LearningPointsListed, from, to, team) },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (agreed, changed, decidedNeeding) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));

        await reader.NextResultAsync(ct);
        var points = new List<LearningPoint>();
        while (await reader.ReadAsync(ct) && points.Count < MaxLearningPoints)
        {
            var (auditId, pointTeam, gradedAt) = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
            var submission = _documents.Submission(reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4));
            points.AddRange(submission.OrganisationalLearningPoints.Select(p => new LearningPoint(auditId, pointTeam, gradedAt, p)));
        }

        return (agreed, changed, decidedNeeding, points.Take(MaxLearningPoints).ToList());
    }

    private static ProgrammeFigures Figures(
        SortedDictionary<DateOnly, Dictionary<string, FigureSums>> months, string? team, (long Agreed, long GradeChanged, long DecidedNeeding, List<LearningPoint> Points) decided)
    {
        var total = new FigureSums();
        var trend = new List<MonthFigures>();
        foreach (var (month, teams) in months)
        {
            var sums = new FigureSums();
            foreach (var (name, figures) in teams.Where(t => team is null || t.Key == team))
            {
                sums.Add(figures);
            }

            if (sums.Audits > 0)
            {
                trend.Add(new MonthFigures(month, sums.Overall, sums.Final));
                total.Add(sums);
            }
        }

        var areas = Enumerable.Range(0, 9).Select(a =>
        {
            var counts = total.Areas[(a * FigureSums.AreaCounts)..((a + 1) * FigureSums.AreaCounts)];
            return new AreaFigures((PracticeArea)(a + 1), counts[1..5], counts[5], counts[0]);
        }).ToList();
        static List<RuleCount> Most(Dictionary<string, long> counts) =>
            [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(MaxRows).Select(c => new RuleCount(c.Key, c.Value))];

        return new ProgrammeFigures(
            total.Audits,
            total.Overall,
            total.Final,
            areas,
            trend,
            Most(total.Limits),
            Most(total.Findings),
            new Agreement(total.Audits, total.Proposed, total.Agreed),
            [.. total.Auditors.OrderByDescending(a => a.Value[0]).ThenBy(a => a.Key, StringComparer.Ordinal).Take(MaxRows)
                .Select(a => new AuditorAgreement(a.Key, new Agreement(a.Value[0], a.Value[1], a.Value[2])))],
            new ModerationFigures(total.ModerationRequired, decided.Agreed, decided.GradeChanged, total.ModerationRequired - decided.DecidedNeeding),
            [.. total.Values.OrderBy(v => v.Key).Select(v => new ValueCount((CroydonValue)v.Key, v.Value))],
            decided.Points,
            total.LearningPoints);
    }

    private static long[] Counts(NpgsqlDataReader reader, int first, int count) =>
        [.. Enumerable.Range(first, count).Select(reader.GetInt64)];

    private static NpgsqlBatchCommand Range(string sql, DateTimeOffset start, DateTimeOffset end, string? team) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter<DateTimeOffset> { TypedValue = start },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = end },
            new NpgsqlParameter<string?> { TypedValue = team, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
        },
    };

    private static NpgsqlBatchCommand Statement(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
