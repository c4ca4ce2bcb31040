using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.WorkedCases;

namespace CroydonAudit.RuleSets.Checking;

/// <summary>
/// The one check every rule set passes before it grades anything — run by <c>./run.sh rules check</c>,
/// by the service on start-up and on every change it is asked to activate: the files against their
/// JSON Schemas, every rule read and compiled (only the facts may be used), every audit given a base
/// grade, the worked cases graded and compared, and the coverage.
/// </summary>
public static class RuleSetCheck
{
    /// <summary>Checks the rule set in a folder.</summary>
    public static CheckedRuleSet Run(string directory, long evaluationBudget = EvaluationBudget.DefaultSteps)
    {
        RuleSetFiles files;
        try
        {
            files = RuleSetFiles.FromDirectory(directory);
        }
        catch (RuleSetException e)
        {
            return new CheckedRuleSet(null, new RuleSetCheckReport("", "", 0, e.Problems, [], null));
        }

        return Run(files, evaluationBudget);
    }

    /// <summary>
    /// Checks a rule set's <paramref name="files"/>; worked cases are graded within <paramref name="evaluationBudget"/>, the
    /// grading service's, by its <paramref name="clock"/>. Never throws for what the files hold: the files come from people, and a check that failed on them
    /// must refuse them in words, not stop whatever asked (a running service's folder watcher, its start).
    /// </summary>
    public static CheckedRuleSet Run(RuleSetFiles files, long evaluationBudget = EvaluationBudget.DefaultSteps, TimeProvider? clock = null)
    {
        try
        {
            return Check(files, evaluationBudget, clock ?? TimeProvider.System);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            RuleSetProblem problem = new(RuleSetLoader.ManifestFile, null, null,
                "these rules could not be checked: the check itself failed on them, so nothing was activated. Please send the files to the service's developers.");
            return new CheckedRuleSet(null, new RuleSetCheckReport("", "", 0, [problem], [], null));
        }
    }

    private static CheckedRuleSet Check(RuleSetFiles files, long evaluationBudget, TimeProvider clock)
    {
        var schemaProblems = new List<RuleSetProblem>();
        RuleSetSchemas.Check(files, schemaProblems);
        var loadProblems = new List<RuleSetProblem>();
        var ruleSet = RuleSetLoader.TryLoad(files, loadProblems);

        // Each problem once: where the loader and the schema speak of the same property, the loader's words are
        // kept, unless the schema found the property misspelt ("did you mean …?"), which says more.
        var problems = loadProblems.Where(l => !schemaProblems.Any(s => Misspelt(l, s)))
            .Concat(schemaProblems.Where(s => s.Property is null || !loadProblems.Any(l => SameProperty(l, s))))
            .ToList();

        var cases = new List<WorkedCase>();
        foreach (var path in files.WorkedCases)
        {
            if (schemaProblems.All(p => p.File != path) && WorkedCase.TryParse(path, files[path]!, problems, @base => files[@base]) is { } workedCase)
            {
                cases.Add(workedCase);
            }
        }

        if (ruleSet is null)
        {
            return new CheckedRuleSet(null, new RuleSetCheckReport("", "", 0, problems, [], null));
        }

        var grader = new AuditGrader(ruleSet, clock, evaluationBudget);
        var results = cases.Select(c => WorkedCaseResult.Run(c, grader)).ToList();
        var report = new RuleSetCheckReport(ruleSet.Version, ruleSet.Label, ruleSet.Rules.Count, problems, results, RuleSetCoverage.Of(ruleSet, results));
        return new CheckedRuleSet(ruleSet, report);
    }

    private static bool Misspelt(RuleSetProblem loader, RuleSetProblem schema) =>
        loader.File == schema.File && loader.Rule == schema.Rule && loader.Property is not null
        && schema.Message.Contains($"did you mean \"{loader.Property}\"", StringComparison.OrdinalIgnoreCase);

    private static bool SameProperty(RuleSetProblem loader, RuleSetProblem schema) =>
        loader.File == schema.File && loader.Rule == schema.Rule
        && string.Equals(loader.Property, schema.Property, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A rule set as checked: the report, and the rule set itself when its rules load (even if cases fail, for an impact preview).</summary>
/// <param name="RuleSet">The loaded rule set, or null when its rules cannot be loaded.</param>
/// <param name="Report">What the check found.</param>
public sealed record CheckedRuleSet(RuleSet? RuleSet, RuleSetCheckReport Report);
