using System.Runtime.CompilerServices;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Reporting;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using CroydonAudit.Store.Serialization;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Polly;

namespace CroydonAudit.Store;

/// <summary>
/// Graded audits in PostgreSQL. A revision — submission, result and every trace entry — is written in
/// one transaction; content already stored returns its stored revision; concurrent writers of one
/// audit are serialised by a transaction-scoped advisory lock on its id. Every call runs inside the
/// store's resilience pipeline and ends in <see cref="AuditStoreUnavailableException"/> when the
/// database stays unreachable.
/// </summary>
public sealed class AuditStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _reads;
    private readonly NpgsqlDataSource _bulk;
    private readonly StoreSchema _schema;
    private readonly StoreCalls _calls;
    private readonly StoreCalls _readCalls;
    private readonly ReadGate _readGate;
    private readonly BatchQueue<PendingRevision, SavedRevision> _groupCommit;
    private readonly BatchQueue<ReadRequest, (StoredRevisionReader.Row Row, bool Allowed)?> _groupRead;
    private readonly StoredRevisionReader _reader;

    // Rule set versions whose rules are known to be in rule_set_rule: inserted once per process and version.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _storedRuleSets = new(StringComparer.Ordinal);

    private readonly StoredDocuments _documents;

    /// <summary>
    /// Creates the store; concurrent saves are group-committed as <paramref name="options"/> says. Reads go
    /// through <paramref name="reads"/>: the same database by pools and a pipeline of their own. A revision stored
    /// with its answer is read back by <paramref name="answers"/>.
    /// </summary>
    public AuditStore(NpgsqlDataSource dataSource, StoreReads reads, StoreSchema schema, ResiliencePipeline pipeline, AuditStoreOptions options, AnswerReader answers)
    {
        _documents = new StoredDocuments(answers);
        _dataSource = dataSource;
        _reads = reads.Interactive;
        _bulk = reads.Bulk;
        _schema = schema;
        _calls = new StoreCalls(schema, pipeline);
        _readCalls = new StoreCalls(schema, reads.Pipeline);
        _reader = new StoredRevisionReader(reads.Interactive, _documents);
        _groupCommit = new BatchQueue<PendingRevision, SavedRevision>(SaveBatchAsync, options.Writers, options.MaxBatchSize, "write", options.GatherBatch);
        _readGate = new ReadGate(options.ReadConnections, () => _groupCommit.Busy);
        // Four readers: each batch's commit (its access records made durable) is most of its time, so a read waits less
        // behind it with a few batches under way; more readers made smaller batches that cost more (benchmarks/README.md,
        // "Reads").
        _groupRead = new BatchQueue<ReadRequest, (StoredRevisionReader.Row, bool)?>(ReadBatchAsync, Math.Min(4, options.ReadConnections), options.MaxBatchSize, "read");
    }

    // A batch's transaction costs two round trips: BEGIN rides with its reads, COMMIT with its writes.
    //   1. BEGIN; lock the batch's audits (in sorted id order, so overlapping batches cannot deadlock); mark
    //      the latest revision of each audit that brings new content as no longer latest, learning its
    //      number; read whole any revision already holding the same content (a retry is answered from it, with
    //      no further round trip); take ids for new revisions.
    //   2. the revisions with their rules' outcomes (by arrays: a binary COPY had cost two more round trips), their report
    //      figures, any new rule set version and the access log's record of each call, then COMMIT.
    // Every lookup in a write goes by an index, however small the tables were when a statement was first
    // prepared: so its plans are made once per connection (generic), sequential scans ruled out, rather than
    // planned on every execution as the connection's other statements are.
    private const string PlanOnce = "SET LOCAL plan_cache_mode = force_generic_plan";

    private const string ByIndex = "SET LOCAL enable_seqscan = off";

    private const string LockAudits = """
        SELECT count(pg_advisory_xact_lock(hashtextextended(id, 0))) FROM unnest($1::text[]) AS id
        """;

    private const string SupersedeLatest = """
        UPDATE audit_revision SET is_latest = false
        WHERE is_latest AND audit_id IN (
            SELECT p.audit_id FROM unnest($1::text[], $2::bytea[]) AS p (audit_id, content_hash)
            WHERE NOT EXISTS (SELECT FROM audit_revision AS s WHERE s.audit_id = p.audit_id AND s.content_hash = p.content_hash))
        RETURNING audit_id, revision
        """;

    // A retry is answered from what this probe reads: the stored revision holding the same content, whole.
    private static readonly string SelectSameContent = $"""
        SELECT a.audit_id, a.content_hash, {StoredRevisionReader.Columns()}
        FROM unnest($1::text[], $2::bytea[]) AS p (audit_id, content_hash)
        JOIN audit_revision AS a ON a.audit_id = p.audit_id AND a.content_hash = p.content_hash
        {StoredRevisionReader.Outcomes}
        """;

    private const string TakeRevisionIds = """
        SELECT nextval('audit_revision_id_seq') FROM generate_series(1, $1)
        """;

    internal const string InsertRuleSet = """
        INSERT INTO rule_set_rule (rule_set_version, position, workflow, rule_id, guidance_ref)
        SELECT $1, position - 1, workflow, rule_id, guidance_ref
        FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r (workflow, rule_id, guidance_ref, position)
        ON CONFLICT DO NOTHING
        """;

    // A revision's rules' outcomes (V17) come as five arrays for the whole batch, each revision's the slice from its
    // first to its last (an empty slice: none fired or failed).
    private const string InsertRevisions = """
        INSERT INTO audit_revision (id, audit_id, revision, is_latest, content_hash, case_reference, auditor_id, team,
            overall_grade, status, moderation_required, rule_set_version, received_at, graded_at, submission, result, reason,
            caller_subject, caller_client, answer, trace_positions, trace_fired, trace_effects, trace_explanations, trace_errors)
        SELECT r.id, r.audit_id, r.revision, r.is_latest, r.content_hash, r.case_reference, r.auditor_id, r.team,
            r.overall_grade, r.status, r.moderation_required, r.rule_set_version, r.received_at, r.graded_at, r.submission, r.result, r.reason,
            r.caller_subject, r.caller_client, r.answer,
            ($23::smallint[])[r.first:r.last], ($24::boolean[])[r.first:r.last], ($25::text[])[r.first:r.last], ($26::text[])[r.first:r.last], ($27::text[])[r.first:r.last]
        FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::boolean[], $5::bytea[], $6::text[], $7::text[], $8::text[],
            $9::smallint[], $10::smallint[], $11::boolean[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[], $17::smallint[],
            $18::text[], $19::text[], $20::bytea[], $21::integer[], $22::integer[])
            AS r (id, audit_id, revision, is_latest, content_hash, case_reference, auditor_id, team,
                  overall_grade, status, moderation_required, rule_set_version, received_at, graded_at, submission, result, reason,
                  caller_subject, caller_client, answer, first, last)
        """;

    // The report's figures of each audit's new latest revision (V13): a later revision replaces an earlier one's.
    // A month an audit leaves (its earlier latest revision's) has its kept report figures made stale (V14).
    private const string UpsertFigures = """
        WITH left_month AS (
            INSERT INTO report_month_version AS v (month, version)
            SELECT DISTINCT f.month, 1 FROM audit_figures AS f WHERE f.audit_id = ANY ($1::text[]) ORDER BY 1
            ON CONFLICT (month) DO UPDATE SET version = v.version + 1
        )
        INSERT INTO audit_figures (audit_id, revision, team, auditor_id, graded_at, overall_grade, proposed_grade, moderation_required,
            area_grades, deciding_limits, findings, recommendation_values, learning_points)
        SELECT audit_id, revision, team, auditor_id, graded_at, overall_grade, proposed_grade, moderation_required,
               area_grades::smallint[], deciding_limits::text[], findings::text[], recommendation_values::smallint[], learning_points
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::timestamptz[], $6::smallint[], $7::smallint[], $8::boolean[],
            $9::text[], $10::text[], $11::text[], $12::text[], $13::smallint[])
            AS f (audit_id, revision, team, auditor_id, graded_at, overall_grade, proposed_grade, moderation_required,
                  area_grades, deciding_limits, findings, recommendation_values, learning_points)
        ON CONFLICT (audit_id) DO UPDATE SET revision = excluded.revision, team = excluded.team, auditor_id = excluded.auditor_id,
            graded_at = excluded.graded_at, overall_grade = excluded.overall_grade, proposed_grade = excluded.proposed_grade,
            moderation_required = excluded.moderation_required, area_grades = excluded.area_grades, deciding_limits = excluded.deciding_limits,
            findings = excluded.findings, recommendation_values = excluded.recommendation_values, learning_points = excluded.learning_points
        WHERE audit_figures.revision < excluded.revision
        """;

    // Concurrent GetAudits are read together, one statement for all (revision 0: the latest), each by the primary
    // key: no transaction, no join with the version's rules. An audit's few revisions share the key's prefix.
    // The same statement records each read in the access log, as a read, or as refused when the reader's access is
    // for another team (and then nothing of the audit is shown) or there is no such revision — the same work for
    // both, so neither answer nor timing tells them apart: one round trip, and the records are durable —
    // committed with the statement — before any of the audits is answered. A read for no one (a re-grade's own) is not recorded.
    private static readonly string SelectRevisions = $"""
        WITH found AS (
            SELECT p.i, p.by_subject, p.by_client, p.by_roles, p.by_method, a.audit_id AS found_audit_id,
                   (p.by_team IS NULL OR p.by_team = a.team) AS allowed, {StoredRevisionReader.Columns("p.documents", "(p.by_team IS NULL OR p.by_team = a.team)")}
            FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[]) WITH ORDINALITY
                AS p (audit_id, revision, by_team, by_subject, by_client, by_roles, by_method, documents, i)
            JOIN audit_revision AS a ON a.audit_id = p.audit_id AND (a.revision = p.revision OR (p.revision = 0 AND a.is_latest))
            {StoredRevisionReader.Outcomes}
        ), recorded AS (
            INSERT INTO access_record (subject, client, roles, method, action, audit_id, revision, query, reason)
            SELECT f.by_subject, f.by_client, string_to_array(f.by_roles, ' '), f.by_method,
                   CASE WHEN f.allowed THEN 'read' ELSE 'refused' END, f.found_audit_id, CASE WHEN f.allowed THEN f.revision END,
                   NULL, CASE WHEN NOT f.allowed THEN 'team' END
            FROM found AS f WHERE f.by_subject IS NOT NULL
            UNION ALL
            SELECT p.by_subject, p.by_client, string_to_array(p.by_roles, ' '), p.by_method, 'refused', p.audit_id, NULL,
                   CASE WHEN p.revision <> 0 THEN 'revision=' || p.revision END, 'not-found'
            FROM unnest($1::text[], $2::integer[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                AS p (audit_id, revision, by_subject, by_client, by_roles, by_method, i)
            WHERE p.by_subject IS NOT NULL AND NOT EXISTS (SELECT FROM found AS f WHERE f.i = p.i)
        )
        SELECT * FROM found
        """;

    // SelectRevisions' columns before StoredRevisionReader.Columns: i, the reader's four, the audit id, allowed.
    private const int ReadColumnsFrom = 7;

    private const string MatchesFilter = """
        (@team::text IS NULL OR r.team = @team)
          AND (@auditorId::text IS NULL OR r.auditor_id = @auditorId)
          AND (@from::timestamptz IS NULL OR r.graded_at >= @from)
          AND (@to::timestamptz IS NULL OR r.graded_at < @to)
        """;

    // The rules that fired, named through the revision's rule set version: outcomes name their rule by position. A
    // revision stored before V17 has its outcomes in rule_trace.
    private const string SelectLatest = $"""
        SELECT r.audit_id AS AuditId, r.submission AS Submission, r.answer AS Answer, r.overall_grade AS OverallGrade, r.status AS Status,
               r.rule_set_version AS RuleSetVersion,
               ARRAY(SELECT s.rule_id FROM (
                         SELECT o.position FROM unnest(r.trace_positions, r.trace_fired) AS o (position, fired) WHERE o.fired
                         UNION ALL
                         SELECT t.position FROM rule_trace AS t WHERE r.trace_positions IS NULL AND t.revision_id = r.id AND t.fired) AS f
                     JOIN rule_set_rule AS s ON s.rule_set_version = r.rule_set_version AND s.position = f.position
                     ORDER BY f.position) AS Fired
        FROM audit_revision AS r
        WHERE r.is_latest AND {MatchesFilter}
        ORDER BY r.audit_id
        """;

    // Graded by another version, and not checked under this one since (a check that came out the same: V20). A
    // revision checked under another version and graded by this one (a rollback) is this version's already.
    private const string GradedByOtherVersion = "r.rule_set_version <> @version AND r.checked_rule_set_version IS DISTINCT FROM @version";

    private const string SelectGradedByOtherVersions = $"""
        SELECT r.audit_id FROM audit_revision AS r
        WHERE r.is_latest AND {GradedByOtherVersion} AND {MatchesFilter}
        ORDER BY r.graded_at, r.audit_id LIMIT @limit;
        SELECT count(*) FROM audit_revision AS r
        WHERE r.is_latest AND {GradedByOtherVersion} AND {MatchesFilter};
        """;

    // A re-graded revision (reason 2) whose moderation need and overall grade are those of the revision before it, which
    // was moderated, takes that revision's decisions (copied, saying where they were made: V20) and leaves the queue.
    private const string CarryModeration = """
        WITH carried AS (
            SELECT n.audit_id, n.revision, p.revision AS from_revision, p.moderated_at
            FROM audit_revision AS n JOIN audit_revision AS p ON p.audit_id = n.audit_id AND p.revision = n.revision - 1
            WHERE n.id = ANY ($1::bigint[]) AND p.moderated_at IS NOT NULL
              AND p.moderation_required = n.moderation_required AND p.overall_grade = n.overall_grade),
        copied AS (
            INSERT INTO moderation_decision (audit_id, revision, outcome, final_grade, reason, decided_by_subject, decided_by_client, decided_at, carried_from)
            SELECT c.audit_id, c.revision, d.outcome, d.final_grade, d.reason, d.decided_by_subject, d.decided_by_client, d.decided_at,
                   coalesce(d.carried_from, d.revision)
            FROM carried AS c JOIN moderation_decision AS d ON d.audit_id = c.audit_id AND d.revision = c.from_revision
            ORDER BY d.id)
        UPDATE audit_revision AS r SET moderated_at = c.moderated_at
        FROM carried AS c WHERE r.audit_id = c.audit_id AND r.revision = c.revision
        """;

    private const string PageColumns = """
        SELECT audit_id AS AuditId, revision AS Revision, case_reference AS CaseReference, auditor_id AS AuditorId,
               team AS Team, overall_grade AS OverallGrade, status AS Status, moderation_required AS ModerationRequired,
               rule_set_version AS RuleSetVersion, graded_at AS GradedAt, reason AS Reason,
               moderated_at IS NOT NULL AS Moderated,
               coalesce((SELECT d.final_grade FROM moderation_decision AS d
                         WHERE audit_revision.moderated_at IS NOT NULL AND d.audit_id = audit_revision.audit_id AND d.revision = audit_revision.revision
                         ORDER BY d.id DESC LIMIT 1), overall_grade) AS FinalGrade
        FROM audit_revision
        WHERE is_latest
        """;

    // A page's statement names only the filters it was given, so PostgreSQL can walk the one index made for them
    // (V7 to V10: by team, auditor, grade, team and grade; by time alone; V12 the moderation queue, V18 incomplete
    // audits) in the listing's order and stop at the page's end. A filter written as "(@team IS NULL OR team = @team)"
    // would leave it only the walk by time, through every latest revision, when a team's audits are few. There are a
    // few hundred statements at most, each planned once per connection (generic, by index): which index a page walks
    // follows from which filters it names, not from their values.
    // The filter whose index is walked (an auditor's, else a team's, else a grade's: fewest audits first) also leads the
    // page's order, compared with an array of its one value: only its own index then gives that order. Given a plain
    // equality, PostgreSQL may instead walk the index by time and filter, expecting a common team's or grade's audits to
    // be spread evenly over time; on a million revisions, behind 90,000 newer audits of other teams, a page took 700 ms.
    internal static NpgsqlBatchCommand PageStatement(AuditListQuery query)
    {
        var sql = new System.Text.StringBuilder(PageColumns);
        var page = new NpgsqlBatchCommand();
        var leading = query.AwaitingModeration ? null
            : !string.IsNullOrEmpty(query.AuditorId) ? "auditor_id"
            : !string.IsNullOrEmpty(query.Team) ? "team"
            : query.OverallGrade != Grade.Unspecified ? "overall_grade"
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

    /// <summary>
    /// Stores a graded audit as its next revision, or — when a revision of this audit with exactly this
    /// content is already stored (a retry) — returns that revision unchanged: same revision, same
    /// graded_at, nothing new written.
    /// </summary>
    /// <remarks>Concurrent saves are group-committed: they wait for a moment's company and share one transaction.</remarks>
    public Task<SavedRevision> SaveAsync(AuditSubmission submission, GradingResult result, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        SaveAsync(new PendingRevision(submission, result, receivedAt), cancellationToken);

    /// <summary>Stores a graded audit, new content or a re-grade; see <see cref="SaveAsync(AuditSubmission, GradingResult, DateTimeOffset, CancellationToken)"/>.</summary>
    public Task<SavedRevision> SaveAsync(PendingRevision revision, CancellationToken cancellationToken) =>
        _groupCommit.EnqueueAsync(revision, cancellationToken);

    /// <summary>Stores several graded audits in one transaction, in order; see <see cref="SaveAsync(PendingRevision, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<SavedRevision>> SaveBatchAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken) =>
        Run(batch, static (store, batch, ct) => store.WriteAsync(batch, ct), cancellationToken);

    /// <summary>One revision (0: the latest) of an audit, trace and all; null when there is no such audit or revision.</summary>
    /// <remarks>Concurrent reads share one statement: a few workers each read everything waiting at once.</remarks>
    public async Task<StoredAudit?> GetAsync(string auditId, int revision, CancellationToken cancellationToken) =>
        (await ReadAsync(new ReadRequest(auditId, revision, null, null, Documents: true), cancellationToken))?.Audit;

    /// <summary>
    /// One revision (0: the latest) of an audit, read by <paramref name="reader"/>, whose access may be limited to
    /// <paramref name="team"/>; the read is recorded in the access log, in the same statement, before it answers:
    /// as a read, or as refused when the audit belongs to another team, and then only that is answered (Allowed
    /// false, Audit null). Null when there is no such audit or revision (recorded as refused, not found).
    /// Read for GetAudit's answer: a revision stored with one (<see cref="StoredAudit.Answer"/>) comes without its
    /// documents.
    /// </summary>
    public Task<(StoredAudit? Audit, bool Allowed)?> GetAsync(string auditId, int revision, Accessor reader, string? team, CancellationToken cancellationToken) =>
        ReadAsync(new ReadRequest(auditId, revision, reader, team, Documents: false), cancellationToken);

    private async Task<(StoredAudit? Audit, bool Allowed)?> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        await _groupRead.EnqueueAsync(request, cancellationToken) switch
        {
            null => null,
            { Allowed: false } => (null, false),
            { } read => (await _reader.ToStoredAsync(read.Row, null, cancellationToken), true),
        };

    /// <summary>The latest revision of each audit matching the query, newest first, one page at a time.</summary>
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

    /// <summary>
    /// The latest revision of every stored audit that matches the filter — its submission, stored grade and
    /// status, and the rules that fired — streamed in audit id order: what an impact preview compares. A
    /// stream cannot be retried part-way, so a failure ends it with its error.
    /// </summary>
    public async IAsyncEnumerable<LatestRevision> StreamLatestAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _bulk.OpenConnectionAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<LatestRow>(SelectLatest, Parameters(filter));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new LatestRevision(
                row.AuditId, _documents.Submission(row.Submission, row.Answer),
                (Grade)row.OverallGrade, (AuditStatus)row.Status, row.RuleSetVersion, row.Fired);
        }
    }

    /// <summary>
    /// Audits matching the filter whose latest revision was graded by a rule set other than
    /// <paramref name="version"/>: up to <paramref name="limit"/> ids, oldest graded first, and how many there are.
    /// </summary>
    public Task<(IReadOnlyList<string> AuditIds, int Total)> ListGradedByOtherVersionsAsync(AuditFilter filter, string version, int limit, CancellationToken cancellationToken) =>
        Run((Filter: filter, Version: version, Limit: limit), static async (store, query, ct) =>
        {
            await using var connection = await store._bulk.OpenConnectionAsync(ct);
            var parameters = new DynamicParameters(Parameters(query.Filter));
            parameters.Add("version", query.Version);
            parameters.Add("limit", query.Limit);
            await using var reads = await connection.QueryMultipleAsync(new CommandDefinition(SelectGradedByOtherVersions, parameters, cancellationToken: ct));
            var ids = (await reads.ReadAsync<string>()).AsList();
            return ((IReadOnlyList<string>)ids, (int)await reads.ReadSingleAsync<long>());
        }, cancellationToken);

    /// <summary>
    /// Records that an audit's latest revision was graded again under <paramref name="version"/> and came out the same,
    /// in the access log too; false when <paramref name="revision"/> is no longer its latest.
    /// </summary>
    public Task<bool> RecordCheckedAsync(string auditId, int revision, string version, Accessor caller, CancellationToken cancellationToken) =>
        Run((AuditId: auditId, Revision: revision, Version: version, Caller: caller), static async (store, check, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("BEGIN"),
                    Statement(
                        "UPDATE audit_revision SET checked_rule_set_version = $3, checked_at = now() WHERE audit_id = $1 AND revision = $2 AND is_latest",
                        Value(check.AuditId), Value(check.Revision), Value(check.Version)),
                    AccessLog.InsertStatement([check.Caller.Did("read", check.AuditId, check.Revision, $"re-graded under rule set {check.Version}: unchanged")]),
                    new("COMMIT"),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            return batch.BatchCommands[1].RecordsAffected == 1;
        }, cancellationToken);

    private static object Parameters(AuditFilter filter) => new
    {
        team = string.IsNullOrEmpty(filter.Team) ? null : filter.Team,
        auditorId = string.IsNullOrEmpty(filter.AuditorId) ? null : filter.AuditorId,
        from = filter.GradedFrom,
        to = filter.GradedTo,
    };

    private Task<TResult> Run<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, State: state, Work: work), static (call, ct) => call.Work(call.Store, call.State, ct), cancellationToken);

    // A caller's read: through the gate (writes first), then the read pool and the reads' pipeline.
    private Task<TResult> Read<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        _readGate.RunAsync(
            ct => _readCalls.Run((Store: this, State: state, Work: work), static (call, ct) => call.Work(call.Store, call.State, ct), ct),
            cancellationToken);

    // A caller's read planned once per connection, by index, as a write's statements are (planning GetAudit's afresh for
    // each batch was a fifth of PostgreSQL's work per read, a ListAudits page's more than executing it). BEGIN and COMMIT
    // travel with it: one round trip.
    private static NpgsqlBatch PlannedOnce(NpgsqlConnection connection, NpgsqlBatchCommand read) =>
        new(connection) { BatchCommands = { new("BEGIN"), new(PlanOnce), new(ByIndex), read, new("COMMIT") } };

    private Task<IReadOnlyList<(StoredRevisionReader.Row, bool)?>> ReadBatchAsync(IReadOnlyList<ReadRequest> reads, CancellationToken cancellationToken) =>
        Read(reads, static async (store, reads, ct) =>
        {
            var rows = new (StoredRevisionReader.Row, bool)?[reads.Count];
            await using var connection = await store._reads.OpenConnectionAsync(ct);
            await using var batch = PlannedOnce(connection, Statement(
                SelectRevisions,
                Value<string[]>([.. reads.Select(r => r.AuditId)]),
                Value<int[]>([.. reads.Select(r => r.Revision)]),
                Value<string?[]>([.. reads.Select(r => r.Team)]),
                Value<string?[]>([.. reads.Select(r => r.By?.Subject)]),
                Value<string?[]>([.. reads.Select(r => r.By?.Client)]),
                Value<string?[]>([.. reads.Select(r => r.By is { } by ? string.Join(' ', by.Roles) : null)]),
                Value<string?[]>([.. reads.Select(r => r.By?.Method)]),
                Value<bool[]>([.. reads.Select(r => r.Documents)])));

            // Every row is read, and the transaction's commit with its access records seen, before any is answered.
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows[reader.GetInt64(0) - 1] = (StoredRevisionReader.ReadRow(reader, first: ReadColumnsFrom), reader.GetBoolean(ReadColumnsFrom - 1));
            }

            while (await reader.NextResultAsync(ct))
            {
            }

            return (IReadOnlyList<(StoredRevisionReader.Row, bool)?>)rows;
        }, cancellationToken);

    private async Task<IReadOnlyList<SavedRevision>> WriteAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken)
    {
        // The transaction is opened and committed by statements of the batch's first and last round trips.
        // Should anything fail in between, the connection goes back to the pool, which rolls it back.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var batchIds = batch.Select(p => p.Submission.AuditId).ToArray();
        var hashes = batch.Select(p => p.ContentHash).ToArray();
        var ids = batchIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        var stored = new Dictionary<(string, string), StoredRevisionReader.Row>();
        var revisionIds = new Queue<long>(batch.Count);
        await using (var reads = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("BEGIN"),
                new(PlanOnce),
                new(ByIndex),
                Statement(LockAudits, Value(ids)),
                Statement(SupersedeLatest, Value(batchIds), Value(hashes)),
                Statement(SelectSameContent, Value(batchIds), Value(hashes)),
                Statement(TakeRevisionIds, Value(batch.Count)),
            },
        })
        {
            await using var reader = await reads.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                latest[reader.GetString(0)] = reader.GetInt32(1);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[(reader.GetString(0), Convert.ToHexString(reader.GetFieldValue<byte[]>(1)))] = StoredRevisionReader.ReadRow(reader, first: 2);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                revisionIds.Enqueue(reader.GetInt64(0));
            }
        }

        // Idempotent on audit id + content: content already stored under any revision is a retry of that revision.
        var results = new SavedRevision?[batch.Count];
        var inserts = new List<NewRevision>();
        var sameContent = new Dictionary<(string AuditId, string Hash), SavedRevision>();
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var key = (pending.Submission.AuditId, Convert.ToHexString(hashes[i]));
            if (sameContent.TryGetValue(key, out var saved))
            {
                results[i] = saved with { Created = false };
                continue;
            }

            if (stored.TryGetValue(key, out var storedRevision))
            {
                results[i] = new SavedRevision((await _reader.ToStoredAsync(storedRevision, connection, cancellationToken)).Result, Created: false);
            }
            else
            {
                var revision = latest.GetValueOrDefault(key.AuditId) + 1;
                latest[key.AuditId] = revision;
                var insert = new NewRevision(revisionIds.Dequeue(), pending, pending.Result with { Revision = revision });
                inserts.Add(insert);
                results[i] = new SavedRevision(insert.Result, Created: true);
            }

            sameContent[key] = results[i]!;
        }

        await using var writes = new NpgsqlBatch(connection);
        if (inserts.Count > 0)
        {
            foreach (var result in inserts.Select(r => r.Result).DistinctBy(r => r.RuleSetVersion).Where(r => !_storedRuleSets.ContainsKey(r.RuleSetVersion)))
            {
                writes.BatchCommands.Add(Statement(
                    InsertRuleSet,
                    Value(result.RuleSetVersion),
                    Value(result.Trace.Select(t => t.Workflow).ToArray()),
                    Value(result.Trace.Select(t => t.RuleId).ToArray()),
                    Value(result.Trace.Select(t => t.GuidanceRef).ToArray())));
            }

            // The last new revision of each audit in the batch is its latest.
            var newLatest = inserts.GroupBy(r => r.Pending.Submission.AuditId).Select(g => g.Last()).ToList();
            writes.BatchCommands.Add(InsertRevisionsStatement(inserts, newLatest.ToHashSet(ReferenceEqualityComparer.Instance)));
            writes.BatchCommands.Add(UpsertFiguresStatement(newLatest));
            if (inserts.Where(r => r.Pending.Reason == RevisionReason.RuleSetChanged).Select(r => r.Id).ToArray() is { Length: > 0 } regraded)
            {
                writes.BatchCommands.Add(Statement(CarryModeration, Value(regraded)));
            }
        }

        // Each call's access, in the same transaction: a new revision is a write; content stored already is
        // answered with the revision that holds it, a read.
        writes.BatchCommands.Add(AccessLog.InsertStatement([.. batch.Select((pending, i) => pending.StoredBy.Did(
            results[i]!.Created ? "write" : "read", pending.Submission.AuditId, results[i]!.Result.Revision))]));

        writes.BatchCommands.Add(new("COMMIT"));
        await writes.ExecuteNonQueryAsync(cancellationToken);
        foreach (var insert in inserts)
        {
            _storedRuleSets.TryAdd(insert.Result.RuleSetVersion, true);
        }

        return results!;
    }

    private static NpgsqlBatchCommand Statement(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Value<T>(T value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter<T> { TypedValue = value };
        if (type is { } dbType)
        {
            parameter.NpgsqlDbType = dbType;
        }

        return parameter;
    }

    private static NpgsqlBatchCommand InsertRevisionsStatement(List<NewRevision> inserts, HashSet<object?> latest)
    {
        NpgsqlParameter<T[]> Column<T>(Func<NewRevision, T> value, NpgsqlDbType? type = null) => Value<T[]>([.. inserts.Select(value)], type);
        var documents = inserts.Select(r => r.Pending.Documents).ToArray();
        NpgsqlParameter<byte[]?[]> Document(Func<(byte[] Submission, byte[] Result), byte[]> part) =>
            Value<byte[]?[]>([.. documents.Select(d => d is { } both ? part(both) : null)], NpgsqlDbType.Array | NpgsqlDbType.Text);

        // Every revision's outcomes in one list; each revision's are positions first..last of it, counted from 1.
        var outcomes = new List<(short Position, RuleTraceEntry Entry)>();
        var bounds = new (int First, int Last)[inserts.Count];
        for (var i = 0; i < inserts.Count; i++)
        {
            var first = outcomes.Count + 1;
            var trace = inserts[i].Result.Trace;
            for (var position = 0; position < trace.Count; position++)
            {
                if (HasOutcome(trace[position]))
                {
                    outcomes.Add(((short)position, trace[position]));
                }
            }

            bounds[i] = (first, outcomes.Count);
        }

        NpgsqlParameter<T[]> Outcome<T>(Func<(short Position, RuleTraceEntry Entry), T> value) => Value<T[]>([.. outcomes.Select(value)]);
        return Statement(
            InsertRevisions,
            Column(r => r.Id),
            Column(r => r.Pending.Submission.AuditId),
            Column(r => r.Result.Revision),
            Column(r => latest.Contains(r)),
            Column(r => r.Pending.ContentHash),
            Column(r => r.Pending.Submission.CaseReference),
            Column(r => r.Pending.Submission.AuditorId),
            Column(r => r.Pending.Submission.Team),
            Column(r => (short)r.Result.OverallGrade),
            Column(r => (short)r.Result.Status),
            Column(r => r.Result.ModerationRequired),
            Column(r => r.Result.RuleSetVersion),
            Column(r => r.Pending.ReceivedAt),
            Column(r => r.Result.GradedAt),
            // The documents (only for a revision without an answer) are UTF-8 JSON already: sent as text, not as bytea.
            Document(d => d.Submission),
            Document(d => d.Result),
            Column(r => (short)r.Pending.Reason),
            Column(r => r.Pending.StoredBy.Subject),
            Column(r => r.Pending.StoredBy.Client),
            Column(r => r.Pending.Answer, NpgsqlDbType.Array | NpgsqlDbType.Bytea),
            Value<int[]>([.. bounds.Select(b => b.First)]),
            Value<int[]>([.. bounds.Select(b => b.Last)]),
            Outcome(o => o.Position),
            Outcome(o => o.Entry.Fired),
            Outcome(o => o.Entry.Effect),
            Outcome(o => o.Entry.Explanation),
            Outcome(o => o.Entry.Error));
    }

    // One row per audit (its latest revision): an audit with two new revisions in the batch counts its last.
    private static NpgsqlBatchCommand UpsertFiguresStatement(List<NewRevision> latest)
    {
        var figures = latest.Select(r => AuditFigures.Of(r.Pending.Submission, r.Result)).ToList();
        NpgsqlParameter<T[]> Column<T>(Func<NewRevision, T> value) => Value<T[]>([.. latest.Select(value)]);
        NpgsqlParameter<T[]> Figure<T>(Func<AuditFigures, T> value) => Value<T[]>([.. figures.Select(value)]);
        return Statement(
            UpsertFigures,
            Column(r => r.Pending.Submission.AuditId),
            Column(r => r.Result.Revision),
            Column(r => r.Pending.Submission.Team),
            Column(r => r.Pending.Submission.AuditorId),
            Column(r => r.Result.GradedAt),
            Column(r => (short)r.Result.OverallGrade),
            Figure(f => f.ProposedGrade),
            Column(r => r.Result.ModerationRequired),
            Figure(f => f.AreaGrades),
            Figure(f => f.DecidingLimits),
            Figure(f => f.Findings),
            Figure(f => f.RecommendationValues),
            Figure(f => f.LearningPoints));
    }

    /// <summary>
    /// Whether a trace entry says anything about this audit. One that does not — not fired, no effect,
    /// no explanation, no error — is the same for every audit graded by its rule set version, so it is
    /// stored once, in rule_set_rule, and not again with each revision.
    /// </summary>
    internal static bool HasOutcome(RuleTraceEntry entry) =>
        entry.Fired || entry.Effect.Length > 0 || entry.Explanation.Length > 0 || entry.Error.Length > 0;

    /// <summary>Brings the schema up to date, if this process has not yet.</summary>
    public ValueTask EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <summary>Finishes the queued saves and reads, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _groupCommit.DisposeAsync();
        await _groupRead.DisposeAsync();
    }

    private sealed record NewRevision(long Id, PendingRevision Pending, GradingResult Result);

    // A GetAudit waiting to be read: by whom (null: for the store's own use, unrecorded), limited to which team, and
    // whether its documents are wanted (its submission and result in the grading library's types), or only its answer.
    private sealed record ReadRequest(string AuditId, int Revision, Accessor? By, string? Team, bool Documents);

    // Settable properties, not a constructor: Dapper binds a PostgreSQL array only through a property.
    private sealed class LatestRow
    {
        public string AuditId { get; init; } = "";

        public string? Submission { get; init; }

        public byte[]? Answer { get; init; }

        public short OverallGrade { get; init; }

        public short Status { get; init; }

        public string RuleSetVersion { get; init; } = "";

        public string[] Fired { get; init; } = [];
    }
}
