namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// A service grading by a rules folder of the test's choosing, on a database it may share with other
/// hosts: replicas of one service.
/// </summary>
public sealed class RulesHost(string rules, TestDatabase database) : GradingServiceHost(database)
{
    protected override string RulesPath => rules;

    /// <summary>The rule set version this replica grades by now.</summary>
    public async Task<string> ServingVersionAsync() => (await RuleSets.GetRuleSetStatusAsync(new())).ServingVersion;
}
