using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CroydonAudit.Store.Resilience;

/// <summary>
/// The one resilience pipeline around database work: an overall timeout, retries of transient
/// failures with jittered exponential backoff, a circuit breaker, and a timeout per attempt.
/// Every write is one transaction, so a retried attempt never leaves half of an earlier one behind.
/// </summary>
public static class StoreResilience
{
    /// <summary>The pipeline's registered name.</summary>
    public const string PipelineName = "audit-store";

    /// <summary>Adds the strategies, outermost first.</summary>
    public static void Configure(ResiliencePipelineBuilder builder, AuditStoreOptions options)
    {
        builder
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                MaxRetryAttempts = options.RetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Failures worth another attempt: the database or the network, not the query.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // Serialization failure, deadlock, and a unique-key race between replicas: the retry re-reads and decides again.
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation } => true,
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections } => true,
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
