using System.CommandLine;
using CroydonAudit.RuleSets.Checking;

namespace CroydonAudit.Cli.Commands;

/// <summary><c>rules check|diff|impact|activate</c>: the principal social worker's workflow for changing the rules.</summary>
internal static class RulesCommands
{
    /// <summary>Exit code when the rules are not accepted.</summary>
    public const int Refused = 1;

    public static Command Create() => new("rules", "Check, compare, preview and activate the grading rules.")
    {
        Check(),
    };

    private static Command Check()
    {
        var folder = new Argument<DirectoryInfo>("DIR")
        {
            Description = "The rules folder to check (default: the service's rules folder, Grading__RulesPath, or rules).",
            DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("Grading__RulesPath") ?? "rules"),
        };
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

    private static string DisplayPath(DirectoryInfo directory) =>
        Path.GetRelativePath(Environment.CurrentDirectory, directory.FullName) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative + "/"
            : directory.FullName;
}
