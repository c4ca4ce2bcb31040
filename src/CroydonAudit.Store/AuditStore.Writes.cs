using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Reporting;
using Npgsql;
using NpgsqlTypes;

namespace CroydonAudit.Store;

// The group-commit write: a batch of revisions, their outcomes, report figures and access records in one transaction.
public sealed partial class AuditStore
{
    // A batch's transaction costs two round trips: BEGIN rides with its reads, COMMIT with its writes.
    //   1. BEGIN; lock the batch's audits (in sorted id order, so overlapping batches cannot deadlock); mark
    //      the latest revision of each audit that brings new content as no longer latest, learning its
    //      number; read whole any revision already holding the same content (a retry is answered from it, with
    //      no further round trip); take ids for new revisions.
    //   2. the revisions with their rules' outcomes (by arrays: a binary COPY had cost two more round trips), their report
    //      figures, any new rule set version and the access log's record of each call, then COMMIT.
    // Its statements are planned once per connection, by index (PlanOnce, ByIndex in AuditStore.cs).
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
            findings = excluded.findings, recommendation_values = excluded.recommendation_values, learning_points = excluded.learning_points,
            final_grade = NULL
        WHERE audit_figures.revision < excluded.revision
        """;

    // A re-graded revision (reason 2) whose moderation need and overall grade are those of the revision before it, which
    // was moderated, takes that revision's decisions (copied, saying where they were made: V20) and leaves the queue.
    private const string CarryModeration = """
        WITH carried AS (
            SELECT n.audit_id, n.revision, p.revision AS from_revision, p.moderated_at, p.final_grade
            FROM audit_revision AS n JOIN audit_revision AS p ON p.audit_id = n.audit_id AND p.revision = n.revision - 1
            WHERE n.id = ANY ($1::bigint[]) AND p.moderated_at IS NOT NULL
              AND p.moderation_required = n.moderation_required AND p.overall_grade = n.overall_grade),
        copied AS (
            INSERT INTO moderation_decision (audit_id, revision, outcome, final_grade, reason, decided_by_subject, decided_by_client, decided_at, carried_from)
            SELECT c.audit_id, c.revision, d.outcome, d.final_grade, d.reason, d.decided_by_subject, d.decided_by_client, d.decided_at,
                   coalesce(d.carried_from, d.revision)
            FROM carried AS c JOIN moderation_decision AS d ON d.audit_id = c.audit_id AND d.revision = c.from_revision
            ORDER BY d.id),
        counted AS (
            UPDATE audit_figures AS f SET final_grade = c.final_grade
            FROM carried AS c WHERE f.audit_id = c.audit_id AND f.revision = c.revision)
        UPDATE audit_revision AS r SET moderated_at = c.moderated_at, final_grade = c.final_grade
        FROM carried AS c WHERE r.audit_id = c.audit_id AND r.revision = c.revision
        """;

    /// <summary>
    /// Stores a graded audit (new content or a re-grade) as its next revision, or — when a revision of this audit with exactly this
    /// content is already stored (a retry) — returns that revision unchanged: same revision, same
    /// graded_at, nothing new written.
    /// </summary>
    /// <remarks>Concurrent saves are group-committed: they wait for a moment's company and share one transaction.</remarks>
    public Task<SavedRevision> SaveAsync(PendingRevision revision, CancellationToken cancellationToken) =>
        _groupCommit.EnqueueAsync(revision, cancellationToken);

    /// <summary>Stores several graded audits in one transaction, in order; see <see cref="SaveAsync(PendingRevision, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<SavedRevision>> SaveBatchAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken) =>
        Run(batch, static (store, batch, ct) => store.WriteAsync(batch, ct), cancellationToken);

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

    private sealed record NewRevision(long Id, PendingRevision Pending, GradingResult Result);
}
