using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CroydonAudit.Store.Resilience;

/// <summary>
/// The resilience pipelines around database work, one for writes and one for reads (each with a breaker of its own):
/// an overall timeout, retries of transient failures with jittered exponential backoff, a circuit breaker, and a
/// timeout per attempt.
/// Every write is one transaction, so a retried attempt never leaves half of an earlier one behind.
/// </summary>
public static class StoreResilience
{
    /// <summary>The pipeline's registered name.</summary>
    public const string PipelineName = "audit-store";

    /// <summary>The reads' pipeline's registered name: the same strategies, its own breaker (<see cref="ConfigureReads"/>).</summary>
    public const string ReadPipelineName = "audit-store-reads";

    /// <summary>Adds the strategies, outermost first.</summary>
    public static void Configure(ResiliencePipelineBuilder builder, AuditStoreOptions options) =>
        Add(builder, options.RetryAttempts, options.RetryDelay, options.AttemptTimeout, options.TotalTimeout, options.BreakDuration);

    /// <summary>
    /// Reads: one retry, an attempt a second longer than PostgreSQL's own limit on the statement (so PostgreSQL stops
    /// it first, and says why), and a breaker of their own.
    /// </summary>
    public static void ConfigureReads(ResiliencePipelineBuilder builder, AuditStoreOptions options)
    {
        var attempt = options.ReadTimeout + TimeSpan.FromSeconds(1);
        var total = (2 * attempt) + options.RetryDelay;
        Add(builder, Math.Min(1, options.RetryAttempts), options.RetryDelay, attempt, total > options.TotalTimeout ? total : options.TotalTimeout, options.BreakDuration);
    }

    private static void Add(ResiliencePipelineBuilder builder, int retries, TimeSpan retryDelay, TimeSpan attemptTimeout, TimeSpan totalTimeout, TimeSpan breakDuration) =>
        builder
            .AddTimeout(totalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                MaxRetryAttempts = retries,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = breakDuration,
            })
            .AddTimeout(attemptTimeout);

    /// <summary>
    /// Failures worth another attempt, and that mean "unavailable" when they last: the database or the network,
    /// not the query. By Npgsql's own judgement, and by SQLSTATE class: 08 (the connection), 53 (insufficient
    /// resources), 57P (shut down, starting up), 58 (a system error), 25006 (a read-only database: what a failover
    /// to a standby looks like), 55P03 (a lock not available); and serialization failures, deadlocks and a
    /// unique-key race between replicas, after which a retry re-reads and decides again.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException { IsTransient: true } => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation
            or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.LockNotAvailable } => true,
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal) => true,
        PostgresException => false,
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: IOException or SocketException or TimeoutException } => true,
        TimeoutRejectedException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>The failures that mean "the store is unavailable" once the pipeline gives up.</summary>
    public static bool MeansUnavailable(Exception exception) =>
        exception is BrokenCircuitException || IsTransient(exception);
}
