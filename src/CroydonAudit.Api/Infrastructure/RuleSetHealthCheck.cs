using CroydonAudit.Api.Rules;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CroydonAudit.Api.Infrastructure;

/// <summary>Healthy while a checked rule set is loaded: the service can grade.</summary>
public sealed class RuleSetHealthCheck(ActiveRuleSet rules) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(rules.IsLoaded
            ? HealthCheckResult.Healthy($"Grading by rule set {rules.Grader.RuleSet.Version}")
            : HealthCheckResult.Unhealthy("No rule set is loaded"));
}
