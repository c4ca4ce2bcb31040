using CroydonAudit.Grading;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CroydonAudit.Api.Infrastructure;

/// <summary>Healthy while a checked rule set is loaded: the service can grade.</summary>
public sealed class RuleSetHealthCheck(AuditGrader grader) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"Rule set {grader.RuleSet.Version} loaded"));
}
