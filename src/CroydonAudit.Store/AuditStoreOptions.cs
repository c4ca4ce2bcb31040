namespace CroydonAudit.Store;

/// <summary>Configuration section "Store": how hard to try before a call ends UNAVAILABLE.</summary>
public sealed class AuditStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Store";

    /// <summary>The connection string's name: <c>ConnectionStrings:Audit</c> (env <c>ConnectionStrings__Audit</c>).</summary>
    public const string ConnectionStringName = "Audit";

    /// <summary>
    /// The tables' owner's connection string's name, used only to migrate: <c>ConnectionStrings:AuditOwner</c>. Without
    /// it, migrations run as <see cref="ConnectionStringName"/>'s role, which must then own the tables: local mode only.
    /// </summary>
    public const string OwnerConnectionStringName = "AuditOwner";

    /// <summary>
    /// Whether the service may connect as a superuser or as its tables' owner (local mode, where one developer's
    /// cluster has one user; the host sets it). Otherwise the store refuses to run as either, saying why.
    /// </summary>
    public bool AllowPrivilegedRole { get; set; }

    /// <summary>Retries of a transient database failure, after the first attempt.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call may take, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Group commit: how many audits one transaction may store at most.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Group commit: how many transactions may be writing at once; the default kept two cores busiest in ./bench.sh (benchmarks/README.md).</summary>
    public int Writers { get; set; } = 3;

    /// <summary>
    /// Group commit: while another transaction is writing and fewer than this many audits are waiting, a free writer
    /// waits a millisecond for company before it starts one (as PostgreSQL's own commit_delay waits only while
    /// commit_siblings are active); 0 never waits. Without it many transactions under load stored one audit, each
    /// paying a whole transaction's statements, round trips and fsync alone (benchmarks/README.md has the figures).
    /// With no transaction under way, a writer never waits.
    /// </summary>
    public int GatherBatch { get; set; } = 16;

    /// <summary>
    /// Reads (GetAudit, ListAudits, previews' streams) share at most this many connections of their own; a read
    /// beyond them waits its turn. PostgreSQL runs a process per connection: many reads at once on as many connections
    /// cost far more CPU per read (benchmarks/README.md, "Reads"), and could take every connection writes need.
    /// </summary>
    public int ReadConnections { get; set; } = 8;

    /// <summary>
    /// How long PostgreSQL lets one of a caller's reads (GetAudit, ListAudits, the moderation queue, the access log)
    /// run before it stops it (statement_timeout on the read pool): a read that long is answered UNAVAILABLE, saying
    /// so, and is not retried. Every such read goes by an index and takes milliseconds.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Connections for the rules administrator's long reads (impact previews, re-grading), apart from callers' reads.</summary>
    public int BulkConnections { get; set; } = 2;

    /// <summary>How long calls fail fast once the breaker opens.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
