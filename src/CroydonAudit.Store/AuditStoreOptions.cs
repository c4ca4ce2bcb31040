namespace CroydonAudit.Store;

/// <summary>Configuration section "Store": how hard to try before a call ends UNAVAILABLE.</summary>
public sealed class AuditStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Store";

    /// <summary>The connection string's name: <c>ConnectionStrings:Audit</c> (env <c>ConnectionStrings__Audit</c>).</summary>
    public const string ConnectionStringName = "Audit";

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

    /// <summary>Group commit: how many transactions may be writing at once. Three kept two cores busiest in ./bench.sh (two left them idle a sixth of the time; four contended).</summary>
    public int Writers { get; set; } = 3;

    /// <summary>
    /// Reads (GetAudit, ListAudits, previews' streams) share at most this many connections of their own; a read
    /// beyond them waits its turn. PostgreSQL runs a process per connection: 64 reads at once on 64 connections
    /// spent over twice the CPU per read that 8 did on a 2-core machine, and could take every connection writes need.
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
