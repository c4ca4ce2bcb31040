using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>While callers grade and store, two versions of the rules are activated in turn again and again: no call fails, and every result is wholly one version's.</summary>
public sealed class LiveSwitchUnderLoadTests : IDisposable
{
    private const string Reworded = "Starts, under the reworded rules, from the proposed grade, {limit} (see {guidance}).";
    private readonly RuleFolderCopy _folder = new();
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public LiveSwitchUnderLoadTests() => _host = new RulesHost(_folder.Path, _database);

    [Fact]
    public async Task ActivatedAgainAndAgainUnderLoad_NoCallFails_AndNoGradingMixesVersions()
    {
        using var rewording = new RuleFolderCopy();
        rewording.EditRule("base.json", "base.proposed", r => r["Properties"]!["explanation"] = Reworded);
        var (v1, v2) = (RuleFiles.VersionOf(_folder.Path), RuleFiles.VersionOf(rewording.Path));
        await _host.ServingVersionAsync();

        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            var results = new List<GradingResult>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = $"load-{caller}-{i}");
                results.Add(i % 2 == 0
                    ? (await _host.Client.PreviewGradeAsync(new() { Audit = audit })).Result
                    : (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result);
            }

            return results;
        })).ToArray();

        for (var activation = 0; activation < 6; activation++)
        {
            var (folder, version) = activation % 2 == 0 ? (rewording.Path, v2) : (_folder.Path, v1);
            await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(folder) } });
            Assert.True(await Eventually.HoldsAsync(async () => await _host.ServingVersionAsync() == version, TimeSpan.FromSeconds(10)));
            await Task.Delay(300);
        }

        await stop.CancelAsync();
        var graded = (await Task.WhenAll(callers)).SelectMany(r => r).ToList();

        Assert.Equal(new[] { v1, v2 }.Order(), graded.Select(r => r.RuleSetVersion).Distinct().Order());
        Assert.All(graded, r => Assert.Equal(
            r.RuleSetVersion == v2,
            r.Trace.Single(t => t.RuleId == "base.proposed").Explanation.StartsWith("Starts, under the reworded rules", StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _folder.Dispose();
    }
}
