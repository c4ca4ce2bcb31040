using CroydonAudit.Store.Schema;
using Npgsql;
using Polly;

namespace CroydonAudit.Store.Resilience;

/// <summary>
/// How every store operation runs: inside the resilience pipeline, with the schema brought up to date
/// first, and ending in <see cref="AuditStoreUnavailableException"/> when the database stays unreachable.
/// </summary>
internal sealed class StoreCalls(StoreSchema schema, ResiliencePipeline pipeline)
{
    public async Task<TResult> Run<TState, TResult>(TState state, Func<TState, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                static async (call, ct) =>
                {
                    await call.Schema.EnsureAsync(ct);
                    return await call.Work(call.State, ct);
                },
                (Schema: schema, State: state, Work: work),
                cancellationToken);
        }
        catch (Exception e) when ((StoreResilience.MeansUnavailable(e) || e is StoreRoleRefusedException) && !cancellationToken.IsCancellationRequested)
        {
            // A role refused is logged once at start and shown by the health check: to callers the store is unavailable.
            throw new AuditStoreUnavailableException(e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            // Nobody here cancelled it: PostgreSQL's statement_timeout stopped it (the read pool's). Not retried.
            throw new AuditStoreUnavailableException(e, readTookTooLong: true);
        }
    }
}
