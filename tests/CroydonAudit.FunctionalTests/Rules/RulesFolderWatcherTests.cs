using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// The service watches its rules folder: an edit that passes every check goes live without a restart; one that
/// does not is refused, the last good set keeps grading, and the refusal shows in GetRuleSetStatus.
/// </summary>
public sealed class RulesFolderWatcherTests : IDisposable
{
    private static readonly TimeSpan TakenUp = TimeSpan.FromSeconds(10);
    private readonly RuleFolderCopy _folder = new();
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public RulesFolderWatcherTests() => _host = new RulesHost(_folder.Path, _database);

    [Fact]
    public async Task FolderEdit_PassingEveryCheck_GoesLiveAndTheNextGradingCarriesItsVersion()
    {
        var before = await _host.ServingVersionAsync();

        RuleMistakes.MakeCareActPartialInadequate(_folder);

        Assert.True(await Eventually.HoldsAsync(async () => await _host.ServingVersionAsync() != before, TakenUp));
        var result = (await _host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit })).Result;
        Assert.Equal(Croydon.Audit.V1.Grade.Inadequate, result.OverallGrade);
        Assert.Equal(RuleFiles.VersionOf(_folder.Path), result.RuleSetVersion);
        var active = (await _host.RuleSets.GetRuleSetStatusAsync(new())).Active;
        Assert.Equal((result.RuleSetVersion, Croydon.Audit.V1.RuleSetSource.RulesFolder), (active.Version, active.Source));
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
