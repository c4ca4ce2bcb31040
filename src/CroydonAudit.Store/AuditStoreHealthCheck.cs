using Microsoft.Extensions.Diagnostics.HealthChecks;
using CroydonAudit.Store.Schema;
using Npgsql;

namespace CroydonAudit.Store;

/// <summary>
/// Unhealthy while the store cannot be queried or its schema brought up to date; healthy again as
/// soon as it can, without a restart.
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
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM (SELECT 1 FROM audit_revision LIMIT 1) AS probe");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("The audit store answers.");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or EvolveDb.EvolveException)
        {
            // The reason goes in the description, not as an exception: an outage is expected, not a stack trace.
            return HealthCheckResult.Unhealthy($"The audit store does not answer: {e.GetBaseException().Message}");
        }
    }
}
