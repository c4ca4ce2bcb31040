using System.Runtime.CompilerServices;
using System.Text.Json;
using CroydonAudit.Grading.Domain;
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
    private readonly StoreSchema _schema;
    private readonly ResiliencePipeline _pipeline;
    private readonly GroupCommitQueue _groupCommit;

    // Rule set versions whose rules are known to be in rule_set_rule: inserted once per process and version.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _storedRuleSets = new(StringComparer.Ordinal);

    /// <summary>Creates the store; concurrent saves are group-committed as <paramref name="options"/> says.</summary>
    public AuditStore(NpgsqlDataSource dataSource, StoreSchema schema, ResiliencePipeline pipeline, AuditStoreOptions options)
    {
        _dataSource = dataSource;
        _schema = schema;
        _pipeline = pipeline;
        _groupCommit = new GroupCommitQueue(SaveBatchAsync, options.Writers, options.MaxBatchSize);
    }

    // One round trip: lock the batch's audits (in sorted id order, so overlapping batches cannot
    // deadlock), then read their latest revisions and any revision with the same content.
    private const string LockAndRead = """
        SELECT count(pg_advisory_xact_lock(hashtextextended(id, 0))) FROM unnest(@ids) AS id;
        SELECT audit_id AS AuditId, revision AS Revision FROM audit_revision WHERE audit_id = ANY(@ids) AND is_latest;
        SELECT r.audit_id AS AuditId, r.revision AS Revision, r.content_hash AS ContentHash
        FROM audit_revision AS r
        JOIN unnest(@batchIds::text[], @hashes::bytea[]) AS p (audit_id, content_hash) USING (audit_id, content_hash);
        SELECT nextval('audit_revision_id_seq') FROM generate_series(1, @count);
        """;

    private const string InsertRuleSet = """
        INSERT INTO rule_set_rule (rule_set_version, position, workflow, rule_id, guidance_ref)
        SELECT @version, position - 1, workflow, rule_id, guidance_ref
        FROM unnest(@workflows::text[], @ruleIds::text[], @guidance::text[]) WITH ORDINALITY AS r (workflow, rule_id, guidance_ref, position)
        ON CONFLICT DO NOTHING
        """;

    private const string SupersedeLatest = """
        UPDATE audit_revision SET is_latest = false WHERE audit_id = ANY(@ids) AND is_latest
        """;

    private const string CopyRevisions = """
        COPY audit_revision (id, audit_id, revision, is_latest, content_hash, case_reference, auditor_id, team,
            overall_grade, status, moderation_required, rule_set_version, received_at, graded_at, submission, result)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyTrace = """
        COPY rule_trace (revision_id, position, fired, effect, explanation, error) FROM STDIN (FORMAT BINARY)
        """;

    private const string SelectRevision = """
        SELECT id AS Id, revision AS Revision, rule_set_version AS RuleSetVersion, submission::text AS Submission,
               result::text AS Result, received_at AS ReceivedAt
        FROM audit_revision WHERE audit_id = @auditId AND (revision = @revision OR (@revision = 0 AND is_latest))
        """;

    // Every rule of the version, in evaluation order, with what it did for this revision: a rule without a
    // trace row did not fire and said nothing (see V2__trace_outcomes_only.sql).
    private const string SelectTrace = """
        SELECT r.workflow AS Workflow, r.rule_id AS RuleId, coalesce(t.fired, false) AS Fired, coalesce(t.effect, '') AS Effect,
               coalesce(t.explanation, '') AS Explanation, r.guidance_ref AS GuidanceRef, coalesce(t.error, '') AS Error
        FROM rule_set_rule AS r
        LEFT JOIN rule_trace AS t ON t.revision_id = @revisionId AND t.position = r.position
        WHERE r.rule_set_version = @ruleSetVersion
        ORDER BY r.position
        """;

    private const string SelectLatestSubmissions = """
        SELECT submission::text FROM audit_revision WHERE is_latest ORDER BY audit_id
        """;

    private const string SelectPage = """
        SELECT audit_id AS AuditId, revision AS Revision, case_reference AS CaseReference, auditor_id AS AuditorId,
               team AS Team, overall_grade AS OverallGrade, status AS Status, moderation_required AS ModerationRequired,
               rule_set_version AS RuleSetVersion, graded_at AS GradedAt
        FROM audit_revision
        WHERE is_latest
          AND (@team::text IS NULL OR team = @team)
          AND (@auditorId::text IS NULL OR auditor_id = @auditorId)
          AND (@grade::smallint IS NULL OR overall_grade = @grade)
          AND (@from::timestamptz IS NULL OR graded_at >= @from)
          AND (@to::timestamptz IS NULL OR graded_at < @to)
          AND (@afterAt::timestamptz IS NULL OR (graded_at, audit_id) < (@afterAt, @afterId))
        ORDER BY graded_at DESC, audit_id DESC
        LIMIT @limit
        """;

    /// <summary>
    /// Stores a graded audit as its next revision, or — when a revision of this audit with exactly this
    /// content is already stored (a retry) — returns that revision unchanged: same revision, same
    /// graded_at, nothing new written.
    /// </summary>
    /// <remarks>Concurrent saves are group-committed: they wait for a moment's company and share one transaction.</remarks>
    public Task<SavedRevision> SaveAsync(AuditSubmission submission, GradingResult result, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        _groupCommit.SaveAsync(new PendingRevision(submission, result, receivedAt), cancellationToken);

    /// <summary>Stores several graded audits in one transaction, in order; see <see cref="SaveAsync"/>.</summary>
    public Task<IReadOnlyList<SavedRevision>> SaveBatchAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken) =>
        Run(batch, static (store, batch, ct) => store.WriteAsync(batch, ct), cancellationToken);

    /// <summary>One revision (0: the latest) of an audit, trace and all; null when there is no such audit or revision.</summary>
    public Task<StoredAudit?> GetAsync(string auditId, int revision, CancellationToken cancellationToken) =>
        Run((auditId, revision), static async (store, key, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            return await ReadAsync(connection, null, key.auditId, key.revision, ct);
        }, cancellationToken);

    /// <summary>The latest revision of each audit matching the query, newest first, one page at a time.</summary>
    public Task<AuditPage> ListAsync(AuditListQuery query, CancellationToken cancellationToken) =>
        Run(query, static async (store, query, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<SummaryRow>(new CommandDefinition(SelectPage, new
            {
                team = string.IsNullOrEmpty(query.Team) ? null : query.Team,
                auditorId = string.IsNullOrEmpty(query.AuditorId) ? null : query.AuditorId,
                grade = query.OverallGrade == Grade.Unspecified ? (short?)null : (short)query.OverallGrade,
                from = query.GradedFrom,
                to = query.GradedTo,
                afterAt = query.After?.GradedAt,
                afterId = query.After?.AuditId,
                limit = query.PageSize + 1,
            }, cancellationToken: ct))).AsList();
            var page = rows.Take(query.PageSize).Select(static r => r.ToSummary()).ToList();
            var next = rows.Count > query.PageSize ? new AuditPageToken(page[^1].GradedAt, page[^1].AuditId) : null;
            return new AuditPage(page, next);
        }, cancellationToken);

    /// <summary>
    /// The latest submission of every stored audit, streamed in audit id order: what re-grading after
    /// a rule change reads. A stream cannot be retried part-way, so a failure ends it with its error.
    /// </summary>
    public async IAsyncEnumerable<AuditSubmission> StreamLatestSubmissionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await foreach (var json in connection.QueryUnbufferedAsync<string>(SelectLatestSubmissions).WithCancellation(cancellationToken))
        {
            yield return JsonSerializer.Deserialize(json, StoreJson.Default.AuditSubmission)!;
        }
    }

    private async Task<TResult> Run<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (call, ct) =>
                {
                    await call.Store._schema.EnsureAsync(ct);
                    return await call.Work(call.Store, call.State, ct);
                },
                (Store: this, State: state, Work: work),
                cancellationToken);
        }
        catch (Exception e) when (StoreResilience.MeansUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new AuditStoreUnavailableException(e);
        }
    }

    private async Task<IReadOnlyList<SavedRevision>> WriteAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batchIds = batch.Select(p => p.Submission.AuditId).ToArray();
        var ids = batchIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        var hashes = batch.Select(p => p.ContentHash).ToArray();
        Dictionary<string, int> latest;
        Dictionary<(string, string), int> stored;
        Queue<long> revisionIds;
        await using (var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            LockAndRead, new { ids, batchIds, hashes, count = batch.Count }, transaction, cancellationToken: cancellationToken)))
        {
            await reads.ReadSingleAsync<long>();
            latest = (await reads.ReadAsync<LatestRow>()).ToDictionary(r => r.AuditId, r => r.Revision, StringComparer.Ordinal);
            stored = (await reads.ReadAsync<ContentRow>()).ToDictionary(r => (r.AuditId, Convert.ToHexString(r.ContentHash)), r => r.Revision);
            revisionIds = new Queue<long>(await reads.ReadAsync<long>());
        }

        var hadRevisions = latest.Keys.ToHashSet(StringComparer.Ordinal);

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
                results[i] = new SavedRevision((await ReadAsync(connection, transaction, key.AuditId, storedRevision, cancellationToken))!.Result, Created: false);
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

        if (inserts.Count > 0)
        {
            var superseded = inserts.Select(r => r.Pending.Submission.AuditId).Where(hadRevisions.Contains).Distinct(StringComparer.Ordinal).ToArray();
            if (superseded.Length > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(SupersedeLatest, new { ids = superseded }, transaction, cancellationToken: cancellationToken));
            }

            foreach (var result in inserts.Select(r => r.Result).DistinctBy(r => r.RuleSetVersion).Where(r => !_storedRuleSets.ContainsKey(r.RuleSetVersion)))
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertRuleSet, new
                {
                    version = result.RuleSetVersion,
                    workflows = result.Trace.Select(t => t.Workflow).ToArray(),
                    ruleIds = result.Trace.Select(t => t.RuleId).ToArray(),
                    guidance = result.Trace.Select(t => t.GuidanceRef).ToArray(),
                }, transaction, cancellationToken: cancellationToken));
            }

            await CopyRevisionsAsync(connection, inserts, cancellationToken);
            await CopyTraceAsync(connection, inserts, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var insert in inserts)
        {
            _storedRuleSets.TryAdd(insert.Result.RuleSetVersion, true);
        }

        return results!;
    }

    private static async Task CopyRevisionsAsync(NpgsqlConnection connection, List<NewRevision> inserts, CancellationToken cancellationToken)
    {
        // Values are written untyped where the CLR type maps to the column's (long to bigint, string to
        // text, DateTimeOffset in UTC to timestamptz …): Npgsql's typed overload costs three times as much
        // per value, and a trace is 35 rows an audit. The json documents are typed: a byte[] would be bytea.
        // The last new revision of each audit in the batch is its latest.
        var latest = inserts.GroupBy(r => r.Pending.Submission.AuditId).Select(g => g.Last()).ToHashSet(ReferenceEqualityComparer.Instance);
        await using var writer = await connection.BeginBinaryImportAsync(CopyRevisions, cancellationToken);
        foreach (var insert in inserts)
        {
            var (submission, result) = (insert.Pending.Submission, insert.Result);
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(insert.Id, cancellationToken);
            await writer.WriteAsync(submission.AuditId, cancellationToken);
            await writer.WriteAsync(result.Revision, cancellationToken);
            await writer.WriteAsync(latest.Contains(insert), cancellationToken);
            await writer.WriteAsync(insert.Pending.ContentHash, cancellationToken);
            await writer.WriteAsync(submission.CaseReference, cancellationToken);
            await writer.WriteAsync(submission.AuditorId, cancellationToken);
            await writer.WriteAsync(submission.Team, cancellationToken);
            await writer.WriteAsync((short)result.OverallGrade, cancellationToken);
            await writer.WriteAsync((short)result.Status, cancellationToken);
            await writer.WriteAsync(result.ModerationRequired, cancellationToken);
            await writer.WriteAsync(result.RuleSetVersion, cancellationToken);
            await writer.WriteAsync(insert.Pending.ReceivedAt, cancellationToken);
            await writer.WriteAsync(result.GradedAt, cancellationToken);
            await writer.WriteAsync(insert.Pending.SubmissionJson, NpgsqlDbType.Json, cancellationToken);
            await writer.WriteAsync(insert.Pending.ResultJson, NpgsqlDbType.Json, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task CopyTraceAsync(NpgsqlConnection connection, List<NewRevision> inserts, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(CopyTrace, cancellationToken);
        foreach (var insert in inserts)
        {
            var trace = insert.Result.Trace;
            for (short position = 0; position < trace.Count; position++)
            {
                var entry = trace[position];
                if (!HasOutcome(entry))
                {
                    continue;
                }

                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(insert.Id, cancellationToken);
                await writer.WriteAsync(position, cancellationToken);
                await writer.WriteAsync(entry.Fired, cancellationToken);
                await writer.WriteAsync(entry.Effect, cancellationToken);
                await writer.WriteAsync(entry.Explanation, cancellationToken);
                await writer.WriteAsync(entry.Error, cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a trace entry says anything about this audit. One that does not — not fired, no effect,
    /// no explanation, no error — is the same for every audit graded by its rule set version, so it is
    /// stored once, in rule_set_rule, and not again with each revision.
    /// </summary>
    internal static bool HasOutcome(RuleTraceEntry entry) =>
        entry.Fired || entry.Effect.Length > 0 || entry.Explanation.Length > 0 || entry.Error.Length > 0;

    private static async Task<StoredAudit?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string auditId, int revision, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RevisionRow>(
            new CommandDefinition(SelectRevision, new { auditId, revision }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var trace = await connection.QueryAsync<RuleTraceEntry>(new CommandDefinition(
            SelectTrace, new { revisionId = row.Id, ruleSetVersion = row.RuleSetVersion }, transaction, cancellationToken: cancellationToken));
        var result = JsonSerializer.Deserialize(row.Result, StoreJson.Default.GradingResult)! with { Revision = row.Revision, Trace = trace.AsList() };
        var submission = JsonSerializer.Deserialize(row.Submission, StoreJson.Default.AuditSubmission)!;
        return new StoredAudit(submission, result, new DateTimeOffset(row.ReceivedAt, TimeSpan.Zero));
    }

    /// <summary>Finishes the queued saves, then stops.</summary>
    public ValueTask DisposeAsync() => _groupCommit.DisposeAsync();

    private sealed record NewRevision(long Id, PendingRevision Pending, GradingResult Result);

    private sealed record LatestRow(string AuditId, int Revision);

    private sealed record ContentRow(string AuditId, int Revision, byte[] ContentHash);

    private sealed record RevisionRow(long Id, int Revision, string RuleSetVersion, string Submission, string Result, DateTime ReceivedAt);

    private sealed record SummaryRow(
        string AuditId, int Revision, string CaseReference, string AuditorId, string Team,
        short OverallGrade, short Status, bool ModerationRequired, string RuleSetVersion, DateTime GradedAt)
    {
        public AuditSummary ToSummary() => new(
            AuditId, Revision, CaseReference, AuditorId, Team, (Grade)OverallGrade, (AuditStatus)Status,
            ModerationRequired, RuleSetVersion, new DateTimeOffset(GradedAt, TimeSpan.Zero));
    }
}
