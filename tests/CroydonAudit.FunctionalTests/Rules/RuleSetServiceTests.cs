using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>RuleSetService's reads: versions kept with their files and history, a check that activates nothing, a diff in words.</summary>
public sealed class RuleSetServiceTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task GetRuleSet_ActiveVersion_ReturnsItsFilesExactly()
    {
        var active = (await host.RuleSets.GetActiveRuleSetAsync(new())).RuleSet;

        var stored = await host.RuleSets.GetRuleSetAsync(new() { Version = active.Version });

        Assert.Equal("Test fixture rules", stored.RuleSet.Label);
        Assert.True(stored.RuleSet.Active);
        // The files that decide grades, and the worked cases stored with them.
        Assert.Equal(["base.json", "findings.json", "limits.json", "ruleset.json", .. FixtureCases.Names.Select(n => $"tests/{n}.json")], stored.Files.Select(f => f.Path));
        Assert.All(stored.Files, f => Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.FixtureRules, f.Path)), f.Content));
        Assert.Equal(RuleSetSource.RulesFolder, stored.RuleSet.Activations[^1].Source);
    }

    [Fact]
    public async Task ListRuleSets_AfterActivations_ListsEveryVersionNewestFirstWithItsHistory()
    {
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(RepositoryRoot.FixtureRules) } });

        var first = await host.RuleSets.ListRuleSetsAsync(new() { PageSize = 1 });
        var second = await host.RuleSets.ListRuleSetsAsync(new() { PageSize = 1, PageToken = first.NextPageToken });

        var listed = first.RuleSets.Concat(second.RuleSets).ToList();
        Assert.Equal([RuleFiles.VersionOf(changed.Path), RuleFiles.VersionOf(RepositoryRoot.FixtureRules)], listed.Select(r => r.Version));
        Assert.Equal([false, true], listed.Select(r => r.Active));
        Assert.Equal(2, listed[1].Activations.Count);
        Assert.Equal("", second.NextPageToken);
    }

    [Fact]
    public async Task CheckRuleSet_FailingCandidate_ReportsWithoutActivating()
    {
        using var broken = new RuleFolderCopy();
        RuleMistakes.Make(broken, "failing worked case");
        var before = await host.RuleSets.GetRuleSetStatusAsync(new());

        var report = (await host.RuleSets.CheckRuleSetAsync(new() { Files = { RuleFiles.Of(broken.Path) } })).Report;

        Assert.False(report.Passed);
        Assert.Contains(report.WorkedCases, c => c.File == "tests/care-act-partial.json" && !c.Passed);
        Assert.Contains("These rules cannot be activated", report.Text, StringComparison.Ordinal);
        Assert.Equal(before.Active, (await host.RuleSets.GetRuleSetStatusAsync(new())).Active);
    }

    [Fact]
    public async Task DiffRuleSets_StoredVersionAgainstFiles_SaysWhatChangedInWords()
    {
        using var changed = new RuleFolderCopy();
        changed.EditRule("limits.json", "limit.care-act-partial", r => { r["Properties"]!["limit"] = "Good"; r["Properties"]!["kind"] = "hard"; });
        changed.EditRule("findings.json", "finding.no-summary", r => r["Enabled"] = false);
        var active = (await host.RuleSets.GetRuleSetStatusAsync(new())).Active.Version;

        var diff = await host.RuleSets.DiffRuleSetsAsync(new() { FromVersion = active, ToFiles = { RuleFiles.Of(changed.Path) } });

        Assert.Equal(["limit Requires improvement → Good", "kind soft → hard"], diff.Changes.Single(c => c.RuleId == "limit.care-act-partial").Changes);
        Assert.Equal(["switched off"], diff.Changes.Single(c => c.RuleId == "finding.no-summary").Changes);
        Assert.Contains($"Changes from version {active} to the to files:", diff.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRuleSet_UnknownOrMalformedVersion_IsNotFoundOrInvalid()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await host.RuleSets.GetRuleSetAsync(new() { Version = "0123456789abcdef" }));
        var malformed = await Assert.ThrowsAsync<RpcException>(async () => await host.RuleSets.GetRuleSetAsync(new() { Version = "not a version" }));
        var both = await Assert.ThrowsAsync<RpcException>(async () => await host.RuleSets.DiffRuleSetsAsync(new() { FromVersion = "0123456789abcdef" }));

        Assert.Equal((StatusCode.NotFound, StatusCode.InvalidArgument, StatusCode.InvalidArgument), (unknown.StatusCode, malformed.StatusCode, both.StatusCode));
        Assert.Contains("to_version", both.Status.Detail, StringComparison.Ordinal);
    }
}
