using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// A service asked to watch its rules folder proposes an edit that passes every check, and never activates it; an edit
/// that does not pass — a mistake in a rule, a file that is not JSON — is refused, the last good set keeps grading,
/// the service keeps running, and the refusal shows in GetRuleSetStatus. Unless asked, it does not watch.
/// </summary>
public sealed class RulesFolderWatcherTests : IDisposable
{
    private static readonly TimeSpan TakenUp = TimeSpan.FromSeconds(10);
    private readonly RuleFolderCopy _folder = new();
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public RulesFolderWatcherTests() => _host = new RulesHost(_folder.Path, _database, new Dictionary<string, string> { ["Grading:WatchRulesFolder"] = "true" });

    [Fact]
    public async Task FolderEdit_PassingEveryCheck_IsProposed_NeverActivated()
    {
        var before = await _host.ServingVersionAsync();

        RuleMistakes.MakeCareActPartialInadequate(_folder);

        var version = RuleFiles.VersionOf(_folder.Path);
        Assert.True(await Eventually.HoldsAsync(async () => (await _host.RuleSets.ListRuleSetsAsync(new())).RuleSets.Any(r => r.Version == version), TakenUp));
        var proposed = (await _host.RuleSets.GetRuleSetAsync(new() { Version = version })).RuleSet;
        var step = Assert.Single(proposed.History);
        Assert.Equal(Croydon.Audit.V1.RuleSetStep.Proposed, step.Step);
        Assert.StartsWith("the rules folder on ", step.By, StringComparison.Ordinal);
        Assert.Equal((false, false, FixtureCases.Names.Count()), (proposed.Active, proposed.Approved, proposed.WorkedCases));
        Assert.Equal(before, await _host.ServingVersionAsync());
        var result = (await _host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit })).Result;
        Assert.Equal((Croydon.Audit.V1.Grade.RequiresImprovement, before), (result.OverallGrade, result.RuleSetVersion));
    }

    [Fact]
    public async Task FolderEdit_WithCommentsAndTrailingCommas_IsProposed_AndAMissingBraceIsRefusedSayingWhere_WhileGradingGoesOn()
    {
        var before = await _host.ServingVersionAsync();

        _folder.WriteAsPeopleDo("limits.json");
        _folder.WriteAsPeopleDo("tests/care-act-partial.json");

        var version = RuleFiles.VersionOf(_folder.Path);
        Assert.True(await Eventually.HoldsAsync(async () => (await _host.RuleSets.ListRuleSetsAsync(new())).RuleSets.Any(r => r.Version == version), TakenUp));
        var proposed = (await _host.RuleSets.GetRuleSetAsync(new() { Version = version })).RuleSet;
        Assert.Equal((false, false), (proposed.Active, proposed.Approved));
        Assert.Null((await _host.RuleSets.GetRuleSetStatusAsync(new())).LastRefusal);
        Assert.Equal(before, await _host.ServingVersionAsync());

        _folder.Write("limits.json", ActiveRuleSetTests.MissingBrace);

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await _host.RuleSets.GetRuleSetStatusAsync(new())).LastRefusal?.Reasons.Any(r => r.Contains(ActiveRuleSetTests.MissingBraceAt, StringComparison.Ordinal)) == true, TakenUp));
        var after = await _host.RuleSets.GetRuleSetStatusAsync(new());
        Assert.Equal((before, before), (after.Active.Version, after.ServingVersion));
        Assert.Equal(Croydon.Audit.V1.RuleSetSource.RulesFolder, after.LastRefusal.Source);
        Assert.Single(after.LastRefusal.Reasons);
        var graded = await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit });
        Assert.Equal(before, graded.Result.RuleSetVersion);
    }

    [Fact]
    public async Task Folder_NotWatchedUnlessAskedFor()
    {
        using var folder = new RuleFolderCopy();
        using var database = new TestDatabase();
        using var host = new RulesHost(folder.Path, database);
        var before = await host.ServingVersionAsync();

        RuleMistakes.MakeCareActPartialInadequate(folder);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(before, await host.ServingVersionAsync());
        Assert.Equal(0, database.Count($"SELECT count(*) FROM rule_set WHERE version = '{RuleFiles.VersionOf(folder.Path)}'"));
        Assert.DoesNotContain(host.Logs.Events, e => e.Message.Contains("changed; checking it", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RuleMistakes.Names), MemberType = typeof(RuleMistakes))]
    public async Task FolderEdit_WithAMistake_IsRefusedAndTheLastGoodSetKeepsGrading(string mistake)
    {
        var before = await _host.RuleSets.GetRuleSetStatusAsync(new());

        var reason = RuleMistakes.Make(_folder, mistake);

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await _host.RuleSets.GetRuleSetStatusAsync(new())).LastRefusal?.Reasons.Any(r => r.Contains(reason, StringComparison.Ordinal)) == true, TakenUp));
        var after = await _host.RuleSets.GetRuleSetStatusAsync(new());
        Assert.Equal(before.Active, after.Active);
        Assert.Equal(before.ServingVersion, after.ServingVersion);
        Assert.Equal(Croydon.Audit.V1.RuleSetSource.RulesFolder, after.LastRefusal.Source);
        Assert.Equal(before.ServingVersion, (await _host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result.RuleSetVersion);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _folder.Dispose();
    }
}
