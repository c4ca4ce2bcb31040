using CroydonAudit.Store.Hosting;
using CroydonAudit.Store.RuleSets;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Rules;

/// <summary>
/// Follows the database's active rule set: on every activation notification, and every poll interval in
/// case one was missed, so every replica changes within moments of an activation anywhere.
/// </summary>
public sealed class ActiveRuleSetFollower(RuleSetCoordinator coordinator, RuleSetStore store, IOptions<GradingOptions> options, TimeProvider clock, ILogger<ActiveRuleSetFollower> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SupervisedLoop.RunAsync(
            "following the active rule set", token => store.FollowAsync(coordinator.FollowAsync, options.Value.ActiveRuleSetPollInterval, logger, token), logger, clock, stoppingToken);
}
