using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// The programs as a person runs them: a service refused its rules exits non-zero with the report and no stack
/// trace; <c>rules check</c> reads JSON as people write it; <c>rules propose</c>, <c>approve</c>, <c>activate</c>,
/// <c>history</c>, <c>diff</c> and <c>impact</c> call the running service as the person whose token they carry.
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
        ["Auth__Mode"] = "Local",
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
    public async Task RulesCheck_FilesWithCommentsPass_AndOneThatIsNotJsonIsOneLineNamingWhere()
    {
        _folder.WriteAsPeopleDo("limits.json");
        _folder.WriteAsPeopleDo("tests/care-act-partial.json");
        var (passed, report, _) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "check", _folder.Path], Environment, Timeout);
        var reason = RuleMistakes.Make(_folder, "worked case not JSON");
        var (refused, refusal, errors) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "check", _folder.Path], Environment, Timeout);

        Assert.True(passed == 0, report);
        Assert.Contains("All is well", report, StringComparison.Ordinal);
        Assert.Equal(1, refused);
        Assert.Single(refusal.Split('\n'), l => l.Contains(reason, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", refusal + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", refusal + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesPropose_OfFilesWithCommentsAndTrailingCommas_StoresThemAndPrintsTheVersion()
    {
        using var host = new RulesHost(_folder.Path, _database, new Dictionary<string, string> { ["Rules:RequireApproval"] = "true" });
        var active = await host.ServingVersionAsync();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        changed.WriteAsPeopleDo("limits.json");
        changed.WriteAsPeopleDo("tests/care-act-partial.json");

        var (proposed, proposal, errors) = await Cli(As(host, "alice", Roles.RulesAdmin), "rules", "propose", changed.Path);

        Assert.True(proposed == 0, proposal + errors);
        var version = proposal.TrimEnd().Split('\n')[^1];
        Assert.Equal(RuleFiles.VersionOf(changed.Path), version);
        Assert.Contains("All is well", proposal, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", proposal + errors, StringComparison.Ordinal);
        var stored = await host.RuleSets.GetRuleSetAsync(new() { Version = version });
        Assert.Equal((false, false, FixtureCases.Names.Count()), (stored.RuleSet.Active, stored.RuleSet.Approved, stored.RuleSet.WorkedCases));
        Assert.Contains("// Edited by hand.", stored.Files.Single(f => f.Path == "limits.json").Content, StringComparison.Ordinal);
        Assert.Equal(active, await host.ServingVersionAsync());
    }

    [Fact]
    public async Task RulesProposeApproveActivate_AsNamedPeople_ThenRollBack_AndTheHistorySaysWhoDidWhat()
    {
        using var host = new RulesHost(_folder.Path, _database, new Dictionary<string, string> { ["Rules:RequireApproval"] = "true" });
        var original = await host.ServingVersionAsync();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        var alice = As(host, "alice", Roles.RulesAdmin, Roles.RulesApprover);
        var (bob, carol) = (As(host, "bob", Roles.RulesApprover), As(host, "carol", Roles.RulesAdmin));

        var (proposed, proposal, _) = await Cli(alice, "rules", "propose", changed.Path);
        var version = proposal.TrimEnd().Split('\n')[^1];
        var (early, _, tooEarly) = await Cli(carol, "rules", "activate", version);
        var (own, _, ownApproval) = await Cli(alice, "rules", "approve", version);
        var (approved, _, _) = await Cli(bob, "rules", "approve", version);
        var (activated, activation, _) = await Cli(carol, "rules", "activate", version);
        var (stillGood, check, _) = await Cli(carol, "rules", "check", version);
        var (rolledBack, rollback, _) = await Cli(carol, "rules", "activate", original);
        var (listed, history, _) = await Cli(carol, "rules", "history");
        var (again, approvedAgain, _) = await Cli(bob, "rules", "approve", version);
        var (badDate, _, dateProblem) = await Cli(carol, "rules", "regrade", "--from", "01/04/2026");
        var (regraded, regrade, _) = await Cli(carol, "rules", "regrade");

        Assert.Equal(0, proposed);
        Assert.Equal(RuleFiles.VersionOf(changed.Path), version);
        Assert.Contains("Compared 0 stored audits", proposal, StringComparison.Ordinal);
        Assert.Contains("a rules approver other than you approves it", proposal, StringComparison.Ordinal);
        Assert.Equal((1, 1), (early, own));
        Assert.Contains("has not been approved", tooEarly, StringComparison.Ordinal);
        Assert.Contains("someone else must approve it", ownApproval, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0, 0), (approved, activated, stillGood, rolledBack, listed));
        Assert.Contains($"Activated \"Test fixture rules\" ({version})", activation, StringComparison.Ordinal);
        Assert.Contains("All is well", check, StringComparison.Ordinal);
        Assert.Contains($"Activated \"Test fixture rules\" ({original})", rollback, StringComparison.Ordinal);
        Assert.Contains("proposed by alice", history, StringComparison.Ordinal);
        Assert.Contains("approved by bob", history, StringComparison.Ordinal);
        Assert.Contains("activated by carol", history, StringComparison.Ordinal);
        Assert.True(await Eventually.HoldsAsync(async () => await host.ServingVersionAsync() == original, TimeSpan.FromSeconds(2)));
        Assert.Equal((0, 0), (again, regraded));
        Assert.Contains("You had approved", approvedAgain, StringComparison.Ordinal);
        Assert.NotEqual(0, badDate);
        Assert.Contains("written year-month-day", dateProblem, StringComparison.Ordinal);
        Assert.Contains("Graded 0 stored audits again", regrade, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesReadmesWorkedExample_RunsAsWritten_ProposeApproveActivateAndRollBack()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Rules, "README.md"));
        var start = readme.IndexOf("**A worked example**", StringComparison.Ordinal);
        var example = readme[start..readme.IndexOf("**Rolling back.**", start, StringComparison.Ordinal)];
        var lines = example.Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal("Rules__RequireApproval=true ./run.sh", lines[0]);
        using var host = new RulesHost(_folder.Path, _database, new Dictionary<string, string> { ["Rules:RequireApproval"] = "true" });
        var original = await host.ServingVersionAsync();
        using var edited = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(edited);
        var person = new Dictionary<string, string>(Environment);
        var versions = new Dictionary<string, string>();
        var ran = new List<(string Line, int ExitCode, string Output)>();

        foreach (var line in lines.Skip(1))
        {
            var (command, comment) = line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? (line[..hash].Trim(), line[hash..]) : (line, "");
            var token = System.Text.RegularExpressions.Regex.Match(command, @"^(export )?CROYDON_AUDIT_TOKEN=""\$\(\./run\.sh token --role (\S+) --name (\S+)\)""\s*(.*)$");
            var environment = person;
            if (token.Success)
            {
                environment = As(host, token.Groups[3].Value, token.Groups[2].Value);
                command = token.Groups[4].Value;
                if (token.Groups[1].Success)
                {
                    Assert.Empty(command);
                    person = environment;
                    continue;
                }
            }

            Assert.StartsWith("./run.sh rules ", command, StringComparison.Ordinal);
            // The example's folder is the edited copy; its made-up versions are the ones this run makes.
            string[] arguments = [.. command["./run.sh ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select((a, i) => i > 1 && a == "rules" ? edited.Path : versions.GetValueOrDefault(a, a))];
            var (exitCode, output, errors) = await Cli(environment, arguments);
            ran.Add((line, exitCode, output + errors));
            if (System.Text.RegularExpressions.Regex.Match(comment, "say ([0-9a-f]{16})") is { Success: true } said)
            {
                versions[said.Groups[1].Value] = arguments[1] == "propose"
                    ? output.TrimEnd().Split('\n')[^1]
                    : output.Split('\n').Single(l => l.Contains("(active)", StringComparison.Ordinal)).Split(' ')[0];
            }
        }

        Assert.All(ran, r => Assert.True(r.ExitCode == 0, $"{r.Line}\n{r.Output}"));
        Assert.Equal(["propose", "approve", "activate", "activate"], ran.Select(r => r.Line.Split(' ')).Where(w => w.Contains("rules")).Select(w => w[Array.IndexOf(w, "rules") + 1]).Where(c => c is "propose" or "approve" or "activate"));
        Assert.Equal(original, versions.Values.First());
        Assert.Equal(RuleFiles.VersionOf(edited.Path), versions.Values.Last());
        Assert.True(await Eventually.HoldsAsync(async () => await host.ServingVersionAsync() == original, TimeSpan.FromSeconds(2)));
        var history = ran[^1].Output;
        Assert.Contains("proposed by pat.psw", history, StringComparison.Ordinal);
        Assert.Contains("approved by sam.approver", history, StringComparison.Ordinal);
        Assert.Contains("activated by pat.psw", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesActivate_WithoutAToken_OrWithABrokenFolder_ChangesNothingAndSaysWhy()
    {
        using var host = new RulesHost(_folder.Path, _database);
        var before = await host.ServingVersionAsync();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        var noToken = new Dictionary<string, string>(Environment) { ["CROYDON_AUDIT_ADDRESS"] = host.Address.ToString(), ["CROYDON_AUDIT_TOKEN"] = "" };

        using var broken = new RuleFolderCopy();
        var reason = RuleMistakes.Make(broken, "failing worked case");

        var (unnamed, _, why) = await BuiltProgram.RunAsync(BuiltProgram.CommandLine, ["rules", "activate", changed.Path], noToken, Timeout);
        var (refused, _, refusal) = await Cli(As(host, "carol", Roles.RulesAdmin), "rules", "activate", broken.Path);
        var (notAllowed, _, denied) = await Cli(As(host, "dave", Roles.Auditor), "rules", "activate", _folder.Path);

        Assert.Equal((2, 1, 1), (unnamed, refused, notAllowed));
        Assert.Contains("CROYDON_AUDIT_TOKEN", why, StringComparison.Ordinal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.Contains("does not allow this: it needs the role rules-admin. Nothing was changed.", denied, StringComparison.Ordinal);
        Assert.Equal(before, await host.ServingVersionAsync());
        Assert.Equal(1, _database.Count("SELECT count(*) FROM rule_set_activation"));
        Assert.Equal(1, _database.Count("SELECT count(*) FROM rule_set_refusal WHERE refused_by = 'carol'"));
    }

    [Fact]
    public async Task RulesDiffAndImpact_ThroughTheService_ReportInWords()
    {
        using var host = new RulesHost(_folder.Path, _database);
        var version = await host.ServingVersionAsync();
        RuleMistakes.MakeCareActPartialInadequate(_folder);
        var carol = As(host, "carol", Roles.RulesAdmin);

        var (diffed, diff, _) = await Cli(carol, "rules", "diff", version, _folder.Path);
        var (previewed, impact, _) = await Cli(carol, "rules", "impact", _folder.Path, "--team", "Nobody");

        Assert.Equal((0, 0), (diffed, previewed));
        Assert.Contains("limit.care-act-partial (limits.json):", diff, StringComparison.Ordinal);
        Assert.Contains("- limit Requires improvement → Inadequate", diff, StringComparison.Ordinal);
        Assert.Contains("on the stored audits of team Nobody", impact, StringComparison.Ordinal);
        Assert.Contains("Compared 0 stored audits", impact, StringComparison.Ordinal);
    }

    // The command line's environment as the person named, with a token of the roles given, calling the host.
    private Dictionary<string, string> As(GradingServiceHost host, string name, params string[] roles) => new(Environment)
    {
        ["CROYDON_AUDIT_ADDRESS"] = host.Address.ToString(),
        ["CROYDON_AUDIT_TOKEN"] = host.Token(roles, name: name),
    };

    private static Task<(int ExitCode, string Output, string Errors)> Cli(Dictionary<string, string> environment, params string[] arguments) =>
        BuiltProgram.RunAsync(BuiltProgram.CommandLine, arguments, environment, Timeout);

    public void Dispose()
    {
        _folder.Dispose();
        File.Delete(SigningKeyPath);
        _database.Dispose();
    }
}
