using CroydonAudit.Store.Access;

namespace CroydonAudit.Store;

// GetAudit's read: concurrent reads in one statement that also records each in the access log.
public sealed partial class AuditStore
{
    // Concurrent GetAudits are read together, one statement for all (revision 0: the latest), each by the primary
    // key, in one short transaction planned once (PlannedOnce), no join with the version's rules. An audit's few revisions share the key's prefix.
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

    // A GetAudit waiting to be read: by whom (null: for the store's own use, unrecorded), limited to which team, and
    // whether its documents are wanted (its submission and result in the grading library's types), or only its answer.
    private sealed record ReadRequest(string AuditId, int Revision, Accessor? By, string? Team, bool Documents);
}
