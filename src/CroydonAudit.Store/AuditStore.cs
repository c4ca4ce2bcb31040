using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using CroydonAudit.Store.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Polly;

namespace CroydonAudit.Store;

/// <summary>
/// Graded audits in PostgreSQL. A revision — submission, result and every trace entry — is written in
/// one transaction; content already stored returns its stored revision; concurrent writers of one
/// audit are serialised by a transaction-scoped advisory lock on its id. Every call runs inside the
/// store's resilience pipeline and ends in <see cref="AuditStoreUnavailableException"/> when the
/// database stays unreachable. One file per concern: AuditStore.Writes.cs (the group-commit write),
/// AuditStore.Reads.cs (GetAudit), AuditStore.Listing.cs (ListAudits' pages), AuditStore.Regrading.cs (what impact
/// previews and re-grading read); here, what they share.
/// </summary>
public sealed partial class AuditStore : IAsyncDisposable
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
    /// with its answer is read back by <paramref name="answers"/>. A batch worker's unexpected failure is logged to
    /// <paramref name="loggers"/> (<see cref="Hosting.SupervisedLoop"/>); the read gate and the write batches' gathering
    /// keep time by <paramref name="clock"/>.
    /// </summary>
    public AuditStore(
        NpgsqlDataSource dataSource, StoreReads reads, StoreSchema schema, ResiliencePipeline pipeline, AuditStoreOptions options, AnswerReader answers,
        ILoggerFactory? loggers = null, TimeProvider? clock = null)
    {
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<AuditStore>();
        _documents = new StoredDocuments(answers);
        _dataSource = dataSource;
        _reads = reads.Interactive;
        _bulk = reads.Bulk;
        _schema = schema;
        _calls = new StoreCalls(schema, pipeline);
        _readCalls = new StoreCalls(schema, reads.Pipeline);
        _reader = new StoredRevisionReader(reads.Interactive, _documents);
        _groupCommit = new BatchQueue<PendingRevision, SavedRevision>(SaveBatchAsync, options.Writers, options.MaxBatchSize, "write", options.GatherBatch, clock: clock, logger: logger);
        _readGate = new ReadGate(options.ReadConnections, () => _groupCommit.Busy, clock);
        // Four readers: each batch's commit (its access records made durable) is most of its time, so a read waits less
        // behind it with a few batches under way; more readers made smaller batches that cost more (benchmarks/README.md,
        // "Reads").
        _groupRead = new BatchQueue<ReadRequest, (StoredRevisionReader.Row, bool)?>(ReadBatchAsync, Math.Min(4, options.ReadConnections), options.MaxBatchSize, "read", clock: clock, logger: logger);
    }

    private Task<TResult> Run<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, State: state, Work: work), static (call, ct) => call.Work(call.Store, call.State, ct), cancellationToken);

    // A caller's read: through the gate (writes first), then the read pool and the reads' pipeline.
    private Task<TResult> Read<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        _readGate.RunAsync(ct => BulkRead(state, work, ct), cancellationToken);

    // A long read (the bulk pool) or a caller's once through the gate: the reads' pipeline, so that failing reads never
    // open the writers' breaker.
    private Task<TResult> BulkRead<TState, TResult>(TState state, Func<AuditStore, TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        _readCalls.Run((Store: this, State: state, Work: work), static (call, ct) => call.Work(call.Store, call.State, ct), cancellationToken);

    // Every lookup in a write or a caller's read goes by an index, however small the tables were when a statement was
    // first prepared: its plans are made once per connection (generic), sequential scans ruled out, rather than planned
    // on every execution as the connection's other statements are (benchmarks/README.md, "Listings planned once").
    private const string PlanOnce = "SET LOCAL plan_cache_mode = force_generic_plan";

    private const string ByIndex = "SET LOCAL enable_seqscan = off";

    // A caller's read planned once per connection, by index, as a write's statements are; BEGIN and COMMIT travel with
    // it: one round trip.
    private static NpgsqlBatch PlannedOnce(NpgsqlConnection connection, NpgsqlBatchCommand read) =>
        new(connection) { BatchCommands = { new("BEGIN"), new(PlanOnce), new(ByIndex), read, new("COMMIT") } };

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
}
