using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Reporting;
using Npgsql;

namespace CroydonAudit.Store.Seeding;

/// <summary>
/// Fills a store with many realistic revisions quickly, for benchmarks and for trying the report and impact
/// preview at size: a million in minutes, by SQL that writes every table as the service would. Each revision
/// is a copy of one of a few graded templates (the rule set's worked cases, say) under its own audit id, team,
/// auditor, case reference and time, stored with its answer as the service stores what it grades: its content hash
/// is the SHA-256 of its submission's JSON (the template's with those put in) as the service computes it, its rules'
/// outcomes are the template's, and an access-log row records its write. Teams are uneven, as a council's are (one has a few
/// dozen audits in a million); one audit in eleven has a second revision, graded later; time runs over two years.
/// </summary>
/// <remarks>Not for a store holding real audits: it is for benchmark databases.</remarks>
public static class BenchmarkSeeder
{
    /// <summary>The templates' audit id, replaced by each copy's.</summary>
    public const string AuditIdToken = "XSEEDAUDITX";

    /// <summary>The templates' team.</summary>
    public const string TeamToken = "XSEEDTEAMX";

    /// <summary>The templates' auditor.</summary>
    public const string AuditorToken = "XSEEDAUDITORX";

    /// <summary>The templates' case reference.</summary>
    public const string CaseToken = "XSEEDCASEX";

    /// <summary>When the templates were graded: each copy's result says when it was.</summary>
    public static readonly DateTimeOffset GradedAtToken = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The one small team: audits whose number is a multiple of this.</summary>
    public const int RareTeamEvery = 20_011;

    /// <summary>The rare team's name.</summary>
    public const string RareTeam = "team-rare";

    private const int Chunk = 50_000;

    private static readonly string[] CreateTables =
    [
        """
        CREATE TEMP TABLE seed_template (k integer PRIMARY KEY, submission text, overall_grade smallint, status smallint,
            moderation_required boolean, rule_set_version text, proposed_grade smallint, area_grades text, deciding_limits text,
            findings text, recommendation_values text, learning_points smallint)
        """,
        "CREATE TEMP TABLE seed_trace (k integer, position smallint, fired boolean, effect text, explanation text, error text)",
        """
        CREATE TEMP TABLE seed_chunk (id bigint, audit_id text, revision integer, is_latest boolean, team text, auditor_id text,
            case_reference text, at timestamptz, k integer)
        """,
    ];

    private const string InsertTemplates = """
        INSERT INTO seed_template SELECT * FROM unnest($1::integer[], $2::text[], $3::smallint[], $4::smallint[], $5::boolean[], $6::text[],
            $7::smallint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::smallint[])
        """;

    private const string InsertTemplateTrace = """
        INSERT INTO seed_trace SELECT * FROM unnest($1::integer[], $2::smallint[], $3::boolean[], $4::text[], $5::text[], $6::text[])
        """;

    // Each template's outcomes as the five arrays a revision keeps them in (V17); a template with none has five empty ones.
    private const string MakeTemplateOutcomes = """
        CREATE TEMP TABLE seed_outcomes AS
        SELECT t.k,
               coalesce(array_agg(r.position ORDER BY r.position) FILTER (WHERE r.k IS NOT NULL), '{}') AS positions,
               coalesce(array_agg(r.fired ORDER BY r.position) FILTER (WHERE r.k IS NOT NULL), '{}') AS fired,
               coalesce(array_agg(r.effect ORDER BY r.position) FILTER (WHERE r.k IS NOT NULL), '{}') AS effects,
               coalesce(array_agg(r.explanation ORDER BY r.position) FILTER (WHERE r.k IS NOT NULL), '{}') AS explanations,
               coalesce(array_agg(r.error ORDER BY r.position) FILTER (WHERE r.k IS NOT NULL), '{}') AS errors
        FROM seed_template AS t LEFT JOIN seed_trace AS r USING (k)
        GROUP BY t.k
        """;

    // Revisions lo..hi of n: the first `audits` are first revisions of audits 1..audits; the rest are second revisions
    // of audits 1..(n - audits). A first revision is the latest when its audit gets no second. Time runs with i.
    private const string MakeChunk = """
        INSERT INTO seed_chunk
        WITH g AS (
            SELECT i, CASE WHEN i <= $3 THEN i ELSE i - $3 END AS a, CASE WHEN i <= $3 THEN 1 ELSE 2 END AS revision,
                   (i > $3 OR i > $4 - $3) AS is_latest,
                   date_trunc('second', $5::timestamptz + (i - 1) * $6::interval) AS at
            FROM generate_series($1::bigint, $2::bigint) AS i
        ), h AS (
            SELECT g.*, (g.a * 2654435761) % 4294967296 AS h FROM g
        ), p AS (
            SELECT h.*, 'seed-' || h.a AS audit_id,
                   CASE WHEN h.a % $8 = 0 THEN $9 ELSE 'team-' || lpad((floor(23 * power(h.h / 4294967296.0, 2)) + 1)::text, 2, '0') END AS team,
                   'CR-' || lpad(h.a::text, 8, '0') AS case_reference,
                   (h.h / 7 + h.revision) % $7 AS k
            FROM h
        )
        SELECT nextval('audit_revision_id_seq') AS id, p.audit_id, p.revision, p.is_latest, p.team,
               p.team || '-auditor-' || lpad(((p.h / 23) % 20 + 1)::text, 2, '0') AS auditor_id, p.case_reference, p.at, p.k
        FROM p
        """;

    private const string InsertChunk = """
        INSERT INTO audit_revision (id, audit_id, revision, is_latest, content_hash, case_reference, auditor_id, team, overall_grade, status,
            moderation_required, rule_set_version, received_at, graded_at, submission, result, reason, caller_subject, caller_client, answer,
            trace_positions, trace_fired, trace_effects, trace_explanations, trace_errors)
        SELECT c.id, c.audit_id, c.revision, c.is_latest, sha256(convert_to(s.submission, 'UTF8')), c.case_reference, c.auditor_id, c.team,
               t.overall_grade, t.status, t.moderation_required, t.rule_set_version, c.at, c.at, NULL, NULL, 1, $5, $6, an.answer,
               o.positions, o.fired, o.effects, o.explanations, o.errors
        FROM seed_chunk AS c
        JOIN seed_template AS t USING (k)
        JOIN seed_outcomes AS o USING (k)
        JOIN unnest($7::bigint[], $8::bytea[]) AS an (id, answer) ON an.id = c.id
        CROSS JOIN LATERAL (SELECT replace(replace(replace(replace(t.submission, $2, c.auditor_id), $1, c.audit_id), $3, c.team), $4, c.case_reference) AS submission) AS s
        """;

    private const string SelectChunk = """
        SELECT id, audit_id, team, auditor_id, case_reference, at, k FROM seed_chunk
        """;

    private const string InsertChunkFigures = """
        INSERT INTO audit_figures (audit_id, revision, team, auditor_id, graded_at, overall_grade, proposed_grade, moderation_required,
            area_grades, deciding_limits, findings, recommendation_values, learning_points)
        SELECT c.audit_id, c.revision, c.team, c.auditor_id, c.at, t.overall_grade, t.proposed_grade, t.moderation_required,
               t.area_grades::smallint[], t.deciding_limits::text[], t.findings::text[], t.recommendation_values::smallint[], t.learning_points
        FROM seed_chunk AS c JOIN seed_template AS t USING (k) WHERE c.is_latest
        """;

    private const string InsertChunkAccess = """
        INSERT INTO access_record (at, subject, client, roles, method, action, audit_id, revision)
        SELECT c.at, $1, $2, '{grader}', '/croydon.audit.v1.GradingService/GradeAudit', 'write', c.audit_id, c.revision FROM seed_chunk AS c
        """;

    /// <summary>
    /// The templates to copy: each audit, its ids replaced by the tokens the copies replace, graded by
    /// <paramref name="ruleSet"/> at <see cref="GradedAtToken"/>.
    /// </summary>
    public static IReadOnlyList<PendingRevision> Templates(RuleSet ruleSet, IEnumerable<AuditSubmission> audits)
    {
        var grader = new AuditGrader(ruleSet, new FixedClock(GradedAtToken));
        return [.. audits
            .Select(a => a with { AuditId = AuditIdToken, Team = TeamToken, AuditorId = AuditorToken, CaseReference = CaseToken, AuditedAt = null })
            .Select(a => new PendingRevision(a, grader.Grade(a), GradedAtToken))];
    }

    /// <summary>
    /// Stores <paramref name="revisions"/> copies of <paramref name="templates"/> (from <see cref="Templates"/>) in
    /// transactions of 50,000, reporting the count stored after each; the store's own schema must be in place.
    /// Each copy is stored with the answer GetAudit gives for it, made by <paramref name="answer"/> from the copy's
    /// submission, result and time of receipt, as the service stores a revision it grades.
    /// </summary>
    public static async Task SeedAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<PendingRevision> templates, int revisions, Accessor by, AnswerMaker answer,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(templates.Count, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revisions);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var setup = new NpgsqlBatch(connection))
        {
            var results = templates.Select(t => t.Result).ToList();
            var figures = templates.Select(t => AuditFigures.Of(t.Submission, t.Result)).ToList();
            foreach (var create in CreateTables)
            {
                setup.BatchCommands.Add(new(create));
            }

            setup.BatchCommands.Add(Statement(InsertTemplates,
                templates.Select((_, k) => k).ToArray(),
                templates.Select(t => System.Text.Encoding.UTF8.GetString(t.SubmissionJson)).ToArray(),
                results.Select(r => (short)r.OverallGrade).ToArray(),
                results.Select(r => (short)r.Status).ToArray(),
                results.Select(r => r.ModerationRequired).ToArray(),
                results.Select(r => r.RuleSetVersion).ToArray(),
                figures.Select(f => f.ProposedGrade).ToArray(),
                figures.Select(f => f.AreaGrades).ToArray(),
                figures.Select(f => f.DecidingLimits).ToArray(),
                figures.Select(f => f.Findings).ToArray(),
                figures.Select(f => f.RecommendationValues).ToArray(),
                figures.Select(f => f.LearningPoints).ToArray()));
            var outcomes = templates.SelectMany((t, k) => t.Result.Trace.Select((entry, position) => (k, position: (short)position, entry)))
                .Where(o => AuditStore.HasOutcome(o.entry)).ToList();
            setup.BatchCommands.Add(Statement(InsertTemplateTrace,
                outcomes.Select(o => o.k).ToArray(),
                outcomes.Select(o => o.position).ToArray(),
                outcomes.Select(o => o.entry.Fired).ToArray(),
                outcomes.Select(o => o.entry.Effect).ToArray(),
                outcomes.Select(o => o.entry.Explanation).ToArray(),
                outcomes.Select(o => o.entry.Error).ToArray()));
            setup.BatchCommands.Add(Statement(MakeTemplateOutcomes));
            foreach (var result in results.DistinctBy(r => r.RuleSetVersion))
            {
                setup.BatchCommands.Add(Statement(AuditStore.InsertRuleSet,
                    result.RuleSetVersion,
                    result.Trace.Select(t => t.Workflow).ToArray(),
                    result.Trace.Select(t => t.RuleId).ToArray(),
                    result.Trace.Select(t => t.GuidanceRef).ToArray()));
            }

            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        // One audit in eleven has a second revision; time runs over the two years before now, at whole seconds.
        var audits = (long)Math.Ceiling(revisions / 1.1);
        var start = DateTimeOffset.UtcNow.AddDays(-730);
        var step = TimeSpan.FromDays(730) / revisions;
        for (long lo = 1; lo <= revisions; lo += Chunk)
        {
            var hi = Math.Min(lo + Chunk - 1, revisions);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var make = new NpgsqlBatch(connection, transaction)
            {
                Timeout = 0,
                BatchCommands =
                {
                    Statement("TRUNCATE seed_chunk"),
                    Statement(MakeChunk, lo, hi, audits, (long)revisions, start, step, templates.Count, RareTeamEvery, RareTeam),
                },
            })
            {
                await make.ExecuteNonQueryAsync(cancellationToken);
            }

            var (ids, answers) = await AnswersAsync(connection, transaction, templates, by, answer, cancellationToken);
            await using var insert = new NpgsqlBatch(connection, transaction)
            {
                Timeout = 0,
                BatchCommands =
                {
                    Statement(InsertChunk, AuditIdToken, AuditorToken, TeamToken, CaseToken, by.Subject, by.Client, ids, answers),
                    Statement(InsertChunkFigures),
                    Statement(InsertChunkAccess, by.Subject, by.Client),
                },
            };
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            progress?.Report((int)hi);
        }

        // Months of the report kept before the seed no longer hold: the seed wrote into past months.
        await using (var forget = new NpgsqlCommand("TRUNCATE report_month", connection))
        {
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        // Vacuumed and analysed, as a store long in service would be: otherwise autovacuum would work through the new
        // rows in the middle of whatever is measured next. VACUUM runs outside a transaction, one table a statement.
        foreach (var table in new[] { "audit_revision", "access_record", "audit_figures" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // Each copy of the chunk as the service would have graded it (the template's grading under the copy's ids and
    // time), and its answer: made in parallel, as the service makes each caller's.
    private static async Task<(long[] Ids, byte[][] Answers)> AnswersAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingRevision> templates, Accessor by, AnswerMaker answer,
        CancellationToken cancellationToken)
    {
        var copies = new List<(long Id, string AuditId, string Team, string AuditorId, string CaseReference, DateTimeOffset At, int K)>(Chunk);
        await using (var select = new NpgsqlCommand(SelectChunk, connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                copies.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6)));
            }
        }

        var answers = new byte[copies.Count][];
        Parallel.For(0, copies.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (_, auditId, team, auditorId, caseReference, at, k) = copies[i];
            var template = templates[k];
            answers[i] = answer(
                template.Submission with { AuditId = auditId, Team = team, AuditorId = auditorId, CaseReference = caseReference },
                template.Result with { AuditId = auditId, GradedAt = at },
                at,
                RevisionReason.NewContent,
                by);
        });
        return ([.. copies.Select(c => c.Id)], answers);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

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
