using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace CroydonAudit.Store.Access;

/// <summary>
/// The access log: every read of an audit's content and every write, kept in PostgreSQL, append-only.
/// (GetAudit's reads are recorded by the statement that reads them: <see cref="AuditStore.GetAsync(string, int, Accessor, string?, CancellationToken)"/>.)
/// Recording fails closed — a read waits for its record to be stored before it answers — and records from
/// concurrent calls are stored together, a batch per insert (<see cref="BatchQueue{TItem, TResult}"/>: a record
/// that cannot be stored fails alone, never the others of its batch), so the log costs little per call.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private const string Insert = """
        INSERT INTO access_record (subject, client, roles, method, action, audit_id, revision, query, reason)
        SELECT r.subject, r.client, string_to_array(r.roles, ' '), r.method, r.action, r.audit_id, r.revision, r.query, r.reason
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[])
            AS r (subject, client, roles, method, action, audit_id, revision, query, reason)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _reads;
    private readonly StoreCalls _calls;
    private readonly StoreCalls _readCalls;
    private readonly BatchQueue<AccessRecord, bool> _writes;

    /// <summary>Creates the log over the audit store's database; reviews read it as callers' reads (<paramref name="reads"/>).</summary>
    public AccessLog(NpgsqlDataSource dataSource, StoreReads reads, StoreSchema schema, ResiliencePipeline pipeline, ILogger<AccessLog>? logger = null, TimeProvider? clock = null)
    {
        _dataSource = dataSource;
        _reads = reads.Interactive;
        _calls = new StoreCalls(schema, pipeline);
        _readCalls = new StoreCalls(schema, reads.Pipeline);
        _writes = new BatchQueue<AccessRecord, bool>(WriteAsync, workers: 1, MaxBatch, "access", clock: clock, logger: logger);
    }

    /// <summary>Records one access; completes when it is stored.</summary>
    /// <exception cref="AuditStoreUnavailableException">It could not be stored: the access must not go ahead.</exception>
    public Task RecordAsync(AccessRecord record, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(record, cancellationToken);

    /// <summary>The records matching a filter, newest first, a page at a time (at most 500).</summary>
    public Task<(IReadOnlyList<AccessRecord> Records, long? NextId)> ListAsync(string? auditId, string? subject, DateTimeOffset? from, DateTimeOffset? to, int pageSize, long? beforeId, CancellationToken cancellationToken) =>
        _readCalls.Run((Log: this, AuditId: auditId, Subject: subject, From: from, To: to, Size: Math.Clamp(pageSize, 1, 500), Before: beforeId), static async (query, ct) =>
        {
            await using var connection = await query.Log._reads.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
                SELECT id AS Id, at AS At, subject AS Subject, client AS Client, array_to_string(roles, ' ') AS Roles, method AS Method,
                       action AS Action, audit_id AS AuditId, revision AS Revision, query AS Query, reason AS Reason
                FROM access_record
                WHERE (@auditId::text IS NULL OR audit_id = @auditId)
                  AND (@subject::text IS NULL OR subject = @subject)
                  AND (@from::timestamptz IS NULL OR at >= @from)
                  AND (@to::timestamptz IS NULL OR at < @to)
                  AND (@before::bigint IS NULL OR id < @before)
                ORDER BY id DESC
                LIMIT @limit
                """, new { auditId = query.AuditId, subject = query.Subject, from = query.From, to = query.To, before = query.Before, limit = query.Size + 1 }, cancellationToken: ct))).AsList();
            IReadOnlyList<AccessRecord> page = [.. rows.Take(query.Size).Select(r => new AccessRecord(
                r.Subject, r.Client, r.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries), r.Method, r.Action, r.AuditId, r.Revision, r.Query, r.Reason,
                new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc))))];
            return (page, rows.Count > query.Size ? rows[query.Size - 1].Id : (long?)null);
        }, cancellationToken);

    /// <summary>The statement that stores <paramref name="records"/>: the log's own batches, and the audit store's writes, in their transaction.</summary>
    internal static NpgsqlBatchCommand InsertStatement(IReadOnlyList<AccessRecord> records) => new(Insert)
    {
        Parameters =
        {
            new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Subject)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Client)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => string.Join(' ', r.Roles))] },
            new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Method)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Action)] },
            new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.AuditId)] },
            new NpgsqlParameter<int?[]> { TypedValue = [.. records.Select(r => r.Revision)] },
            new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.Query)] },
            new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.Reason)] },
        },
    };

    /// <summary>Stores what is queued, then stops.</summary>
    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    private Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AccessRecord> records, CancellationToken cancellationToken) =>
        _calls.Run((Log: this, Records: records), static async (write, ct) =>
        {
            await using var connection = await write.Log._dataSource.OpenConnectionAsync(ct);
            await using var insert = new NpgsqlBatch(connection) { BatchCommands = { InsertStatement(write.Records) } };
            await insert.ExecuteNonQueryAsync(ct);
            return (IReadOnlyList<bool>)[.. write.Records.Select(_ => true)];
        }, cancellationToken);

    private sealed record Row(long Id, DateTime At, string Subject, string Client, string Roles, string Method, string Action, string? AuditId, int? Revision, string? Query, string? Reason);
}
