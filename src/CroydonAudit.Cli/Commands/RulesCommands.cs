using System.CommandLine;
using System.Text.RegularExpressions;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Activation;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Diffing;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;

namespace CroydonAudit.Cli.Commands;

/// <summary>
/// <c>rules check|diff|impact|activate</c>: the principal social worker's workflow for changing the rules —
/// edit, check, look at the impact, activate — calling the same library code as the service.
/// </summary>
internal static partial class RulesCommands
{
    /// <summary>Exit codes: 0 all is well; 1 the rules were not accepted; 2 the database could not be reached or an argument is wrong.</summary>
    public const int Refused = 1, Failed = 2;

    public static Command Create() => new("rules", "Check, compare, preview and activate the grading rules.")
    {
        Check(),
        Diff(),
        Impact(),
        Activate(),
    };

    internal static Argument<DirectoryInfo> FolderArgument(string description) => new("DIR")
    {
        Description = description,
        DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("Grading__RulesPath") ?? "rules"),
    };

    private static Command Check()
    {
        var folder = FolderArgument("The rules folder to check (default: the service's rules folder).");
        var command = new Command("check", "Check a rules folder without a server or database: the files, every rule, the worked cases and what they cover. Exits 0 only when all is well.")
        {
            folder,
        };
        command.SetAction(result =>
        {
            var directory = result.GetValue(folder)!;
            var report = RuleSetCheck.Run(directory.FullName).Report;
            Console.Out.Write(report.ToText(DisplayPath(directory)));
            return report.Passed ? 0 : Refused;
        });
        return command;
    }

    private static Command Activate()
    {
        var folder = FolderArgument("The rules folder to activate (default: the service's rules folder).");
        var command = new Command("activate", "Check a rules folder and, if all is well, make it the rule set every running service grades by. Exits 0 only when it is active.")
        {
            folder,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directory = result.GetValue(folder)!;
            if (!TryRead(directory, out var files))
            {
                return Refused;
            }

            await using var store = StoreConnection.Open();
            var by = $"{Environment.UserName} on {Environment.MachineName}";
            return await WithStoreAsync(async () =>
            {
                var activation = await new RuleSetActivator(store.RuleSets).ActivateAsync(files, by, RuleSetSource.CommandLine, cancellationToken);
                Console.Out.Write(activation.Candidate.Report.ToText(DisplayPath(directory)));
                Console.Out.WriteLine();
                if (activation.Outcome is not { } outcome)
                {
                    Console.Out.WriteLine("Not activated: the rule set every service grades by is unchanged.");
                    return Refused;
                }

                Console.Out.WriteLine(outcome.Changed
                    ? $"Activated \"{outcome.Active.Label}\" ({outcome.Active.Version}). Every running service grades by it within moments."
                    : $"\"{outcome.Active.Label}\" ({outcome.Active.Version}) is already the active rule set; nothing changed.");
                return 0;
            });
        });
        return command;
    }

    private static Command Diff()
    {
        var from = new Argument<string>("A") { Description = "A rules folder, or a stored rule set version." };
        var to = new Argument<string>("B") { Description = "A rules folder, or a stored rule set version." };
        var command = new Command("diff", "What changed from rule set A to rule set B, rule by rule, in words.")
        {
            from,
            to,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (a, b) = (result.GetValue(from)!, result.GetValue(to)!);
            await using var store = Directory.Exists(a) && Directory.Exists(b) ? null : StoreConnection.Open();
            return await WithStoreAsync(async () =>
            {
                var (fromFiles, toFiles) = (await SideAsync(a, store, cancellationToken), await SideAsync(b, store, cancellationToken));
                if (fromFiles is null || toFiles is null)
                {
                    return Failed;
                }

                Console.Out.Write(RuleSetDiff.ToText(RuleSetDiff.Compare(fromFiles, toFiles), Describe(a), Describe(b)));
                return 0;
            });
        });
        return command;
    }

    private static Command Impact()
    {
        var folder = FolderArgument("The changed rules folder to preview (default: the service's rules folder).");
        var team = new Option<string?>("--team") { Description = "Only the audits of this team." };
        var auditor = new Option<string?>("--auditor") { Description = "Only the audits by this auditor." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only audits graded on or after this date (e.g. 2026-04-01)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only audits graded before this date." };
        var list = new Option<int>("--list") { Description = "How many changed audit ids to list (default 100).", DefaultValueFactory = _ => 100 };
        var command = new Command("impact", "Re-grade the stored audits with a changed rules folder, writing nothing, and report what would change. Its worked cases need not pass yet.")
        {
            folder, team, auditor, from, to, list,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directory = result.GetValue(folder)!;
            if (!TryRead(directory, out var files))
            {
                return Refused;
            }

            var candidate = RuleSetCheck.Run(files);
            if (candidate.RuleSet is null)
            {
                Console.Out.Write(candidate.Report.ToText(DisplayPath(directory)));
                return Refused;
            }

            var filter = new AuditFilter(result.GetValue(team), result.GetValue(auditor), result.GetValue(from)?.ToUniversalTime(), result.GetValue(to)?.ToUniversalTime());
            await using var store = StoreConnection.Open();
            return await WithStoreAsync(async () =>
            {
                var impact = await ImpactPreview.RunAsync(candidate, store.Audits.StreamLatestAsync(filter, cancellationToken), result.GetValue(list), cancellationToken);
                Console.Out.Write(impact.ToText(DisplayPath(directory), filter));
                return 0;
            });
        });
        return command;
    }

    private static async Task<RuleSetFiles?> SideAsync(string side, StoreConnection? store, CancellationToken cancellationToken)
    {
        if (Directory.Exists(side))
        {
            return TryRead(new DirectoryInfo(side), out var files) ? files : null;
        }

        if (store is not null && Version().IsMatch(side) && await store.RuleSets.GetFilesAsync(side, cancellationToken) is { } stored)
        {
            return stored;
        }

        await Console.Error.WriteLineAsync($"{side} is neither a rules folder nor a stored rule set version (16 hexadecimal digits, as ./run.sh rules activate prints).");
        return null;
    }

    internal static bool TryRead(DirectoryInfo directory, out RuleSetFiles files)
    {
        try
        {
            files = RuleSetFiles.FromDirectory(directory.FullName);
            return true;
        }
        catch (RuleSetException e)
        {
            Console.Out.Write(new RuleSetCheckReport("", "", 0, e.Problems, [], null).ToText(DisplayPath(directory)));
            files = null!;
            return false;
        }
    }

    internal static async Task<int> WithStoreAsync(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (AuditStoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"The database cannot be reached ({e.InnerException?.GetBaseException().Message}); nothing was changed. Is ConnectionStrings__Audit right, and is PostgreSQL running?");
            return Failed;
        }
    }

    private static string Describe(string side) => Directory.Exists(side) ? DisplayPath(new DirectoryInfo(side)) : $"version {side}";

    private static string DisplayPath(DirectoryInfo directory) =>
        Path.GetRelativePath(Environment.CurrentDirectory, directory.FullName) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative + "/"
            : directory.FullName;

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Version();
}
