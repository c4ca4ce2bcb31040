using CroydonAudit.Store.Contracts;
using System.CommandLine;
using System.Diagnostics;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.RuleSets.Activation;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.WorkedCases;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.RuleSets;
using CroydonAudit.Store.Seeding;

namespace CroydonAudit.Cli.Commands;

/// <summary><c>store seed</c>: a benchmark database filled with realistic audits, in bulk.</summary>
internal static class StoreCommands
{
    public static Command Create() => new("store", "Work on the audit store directly.")
    {
        Seed(),
    };

    private static Command Seed()
    {
        var folder = RulesCommands.FolderArgument("The rules folder whose worked cases are the audits copied, graded by its rules (default: the service's rules folder).");
        var revisions = new Option<int>("--revisions") { Description = "How many revisions to store (default 1,000,000).", DefaultValueFactory = _ => 1_000_000 };
        var command = new Command(
            "seed",
            "For benchmarks only: activate a rules folder and store many revisions copied from its worked cases, graded by it, under made-up ids, teams, " +
            "auditors and times over two years (one team small), with their traces and access-log rows, in the database ConnectionStrings__Audit names.")
        {
            folder,
            revisions,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(revisions);
            if (count < 1)
            {
                await Console.Error.WriteLineAsync("--revisions must be at least 1.");
                return RulesCommands.Failed;
            }

            if (!RulesCommands.TryRead(result.GetValue(folder)!, out var files))
            {
                return RulesCommands.Refused;
            }

            await using var store = StoreConnection.Open();
            return await WithStoreAsync(async () =>
            {
                var activation = await new RuleSetActivator(store.RuleSets).ActivateAsync(files, "croydon-audit store seed", RuleSetSource.CommandLine, ActivationGuard.None, cancellationToken);
                if (activation.Candidate.RuleSet is not { } ruleSet || !activation.Activated)
                {
                    Console.Out.Write(activation.Candidate.Report.ToText(result.GetValue(folder)!.FullName));
                    return RulesCommands.Refused;
                }

                var templates = BenchmarkSeeder.Templates(ruleSet, files.WorkedCases
                    .Select(path => WorkedCase.TryParse(path, files[path]!, [], @base => files[@base]))
                    .OfType<WorkedCase>()
                    .Select(c => c.Audit.ToDomain()));
                var by = new Accessor("croydon-audit store seed", "croydon-audit", ["grader"], "/croydon.audit.v1.GradingService/GradeAudit");
                var clock = Stopwatch.StartNew();
                await store.Audits.EnsureSchemaAsync(cancellationToken);
                await BenchmarkSeeder.SeedAsync(store.DataSource, templates, count, by, RecordMapping.Answer, new Said<int>(stored =>
                    Console.Error.WriteLine($"{stored:N0} of {count:N0} revisions stored ({clock.Elapsed.TotalSeconds:F0} s)")), cancellationToken);
                Console.Out.WriteLine($"Stored {count:N0} revisions copied from {templates.Count} worked cases, graded by \"{ruleSet.Label}\" ({ruleSet.Version}), in {clock.Elapsed.TotalSeconds:F0} s.");
                return 0;
            });
        });
        return command;
    }

    /// <summary>Progress reported as it happens, in order (Progress&lt;T&gt; would post it to the thread pool).</summary>
    private sealed class Said<T>(Action<T> say) : IProgress<T>
    {
        public void Report(T value) => say(value);
    }

    // The seeder works on the database directly (a benchmark's, or one to try things at size), as the service does.
    private static async Task<int> WithStoreAsync(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (AuditStoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"The database cannot be reached ({e.InnerException?.GetBaseException().Message}); nothing was changed. Is ConnectionStrings__Audit right, and is PostgreSQL running?");
            return RulesCommands.Failed;
        }
    }
}
