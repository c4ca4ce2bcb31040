using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// The programs as a person runs them: a service refused its rules exits non-zero with the report and no stack
/// trace; <c>rules activate</c>, <c>rules diff</c> and <c>rules impact</c> work on the same database as the service.
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TestDatabase _database = new();
    private readonly RuleFolderCopy _folder = new();

    private string SigningKeyPath => _folder.Path + ".key";

    private Dictionary<string, string> Environment => new()
    {
        ["ConnectionStrings__Audit"] = _database.ConnectionString,
        ["Grading__RulesPath"] = _folder.Path,
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        ["Grading__StartupStoreTimeout"] = "00:00:05",
        ["ASPNETCORE_ENVIRONMENT"] = "Local",
        ["Auth__LocalSigningKeyPath"] = SigningKeyPath,
    };

    [Fact]
    public async Task Service_WithBrokenRulesAndNoActiveRuleSet_ExitsNonZeroWithTheReportAndNoStackTrace()
    {
        RuleMistakes.Make(_folder, "typo'd fact");

        var (exitCode, output, errors) = await BuiltProgram.RunAsync(BuiltProgram.Service, [], Environment, Timeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("audit has no fact \"Rsk\". Did you mean \"Risk\"?", output, StringComparison.Ordinal);
        Assert.Contains("The service cannot start", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesActivate_GoodFolder_ActivatesAndExitsZero_ThenABrokenOneIsRefusedWithOne()
    {
        var (activated, output, _) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "activate", _folder.Path], Environment, Timeout);
        RuleMistakes.Make(_folder, "failing worked case");
        var (refused, refusal, _) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "activate", _folder.Path], Environment, Timeout);

        Assert.Equal((0, 1), (activated, refused));
        Assert.Contains($"Activated \"Test fixture rules\" ({RuleFiles.VersionOf(RepositoryRoot.FixtureRules)})", output, StringComparison.Ordinal);
        Assert.Contains("Not activated", refusal, StringComparison.Ordinal);
        Assert.Equal(1, _database.Count("SELECT count(*) FROM rule_set_activation WHERE source = 'command line'"));
        Assert.Equal(1, _database.Count("SELECT count(*) FROM rule_set_refusal WHERE source = 'command line'"));
    }

    [Fact]
    public async Task RulesDiffAndImpact_AgainstTheStore_ReportInWords()
    {
        await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "activate", _folder.Path], Environment, Timeout);
        var version = RuleFiles.VersionOf(_folder.Path);
        RuleMistakes.MakeCareActPartialInadequate(_folder);

        var (diffed, diff, _) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "diff", version, _folder.Path], Environment, Timeout);
        var (previewed, impact, _) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "impact", _folder.Path, "--team", "Nobody"], Environment, Timeout);

        Assert.Equal((0, 0), (diffed, previewed));
        Assert.Contains("limit.care-act-partial (limits.json):", diff, StringComparison.Ordinal);
        Assert.Contains("- limit Requires improvement → Inadequate", diff, StringComparison.Ordinal);
        Assert.Contains("on the stored audits of team Nobody", impact, StringComparison.Ordinal);
        Assert.Contains("Compared 0 stored audits", impact, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _folder.Dispose();
        File.Delete(SigningKeyPath);
        _database.Dispose();
    }
}
