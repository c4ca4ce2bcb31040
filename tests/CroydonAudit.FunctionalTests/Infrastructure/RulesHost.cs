using Microsoft.AspNetCore.Hosting;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// A service grading by a rules folder of the test's choosing, on a database it may share with other
/// hosts (replicas of one service), with any settings the test needs.
/// </summary>
public sealed class RulesHost(string rules, TestDatabase database, IReadOnlyDictionary<string, string>? settings = null) : GradingServiceHost(database)
{
    protected override string RulesPath => rules;

    /// <summary>The rule set version this replica grades by now.</summary>
    public async Task<string> ServingVersionAsync() => (await RuleSets.GetRuleSetStatusAsync(new())).ServingVersion;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
