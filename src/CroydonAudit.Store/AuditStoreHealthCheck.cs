using Microsoft.Extensions.Diagnostics.HealthChecks;
using CroydonAudit.Store.Schema;
using Npgsql;

namespace CroydonAudit.Store;

/// <summary>
/// Unhealthy while the store cannot be queried, its schema brought up to date, or written to (a read-only
/// database, as after a failover to a standby), or while the service connects as a role it must not use; healthy
/// again as soon as it can, without a restart.
/// </summary>
public sealed class AuditStoreHealthCheck(NpgsqlDataSource dataSource, StoreSchema schema) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await schema.EnsureAsync(timeout.Token);
            await using var command = dataSource.CreateCommand(
                "SELECT current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery() FROM (SELECT 1 FROM audit_revision LIMIT 1) AS probe RIGHT JOIN (SELECT 1) AS one ON true");
            return await command.ExecuteScalarAsync(timeout.Token) is true
                ? HealthCheckResult.Unhealthy("The audit store accepts no writes: the database is read-only (a standby, or set read-only).")
                : HealthCheckResult.Healthy("The audit store answers and accepts writes.");
        }
        catch (StoreRoleRefusedException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or EvolveDb.EvolveException)
        {
            // The reason goes in the description, not as an exception: an outage is expected, not a stack trace.
            return HealthCheckResult.Unhealthy($"The audit store does not answer: {e.GetBaseException().Message}");
        }
    }
}
