using System.Text;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.WorkedCases;

namespace CroydonAudit.RuleSets.Checking;

/// <summary>
/// Everything <c>rules check</c> found, in one report: the problems with the files (each once), how each
/// worked case came out, and the coverage. All is well only when there are no problems, every worked case
/// passes, and every rule and limit is held in place by a case.
/// </summary>
/// <param name="Version">The rule set's version, when its rules load; empty otherwise.</param>
/// <param name="Label">Its label, when its rules load.</param>
/// <param name="RuleCount">How many rules it has, when they load.</param>
/// <param name="Problems">What is wrong with the files.</param>
/// <param name="Cases">Each worked case's outcome (none when the rules do not load).</param>
/// <param name="Coverage">What the cases hold in place (null when the rules do not load).</param>
public sealed record RuleSetCheckReport(
    string Version,
    string Label,
    int RuleCount,
    IReadOnlyList<RuleSetProblem> Problems,
    IReadOnlyList<WorkedCaseResult> Cases,
    RuleSetCoverage? Coverage)
{
    /// <summary>Nothing wrong: the rule set may be activated.</summary>
    public bool Passed => Problems.Count == 0 && Cases.All(c => c.Passed) && Coverage is { IsComplete: true };

    /// <summary>Every reason the rule set was not accepted, one line each (problems, failing cases, coverage gaps).</summary>
    public IEnumerable<string> Reasons =>
        Problems.Select(p => p.ToString())
            .Concat(Cases.Where(c => !c.Passed).Select(c => $"{c.File}: the worked case fails: {string.Join("; ", c.Differences)}"))
            .Concat(Coverage?.RulesNeverFired.Select(r => $"no worked case fires rule \"{r}\"") ?? [])
            .Concat(Coverage?.LimitsNotPinned.Select(r => $"no worked case pins the grade and kind of limit \"{r}\"") ?? [])
            .Concat(Coverage?.QuestionsNotRead.Select(q => $"template.json: no rule reads the question \"{q}\"") ?? []);

    /// <summary>The report as the principal social worker reads it.</summary>
    public string ToText(string source)
    {
        var text = new StringBuilder();
        text.AppendLine($"Checking the rules in {source}");
        if (Version.Length > 0)
        {
            text.AppendLine($"Rule set \"{Label}\", version {Version}: {RuleCount} rules.");
        }

        text.AppendLine();
        if (Problems.Count > 0)
        {
            text.AppendLine(Problems.Count == 1 ? "1 problem with the files:" : $"{Problems.Count} problems with the files:");
            foreach (var problem in Problems)
            {
                text.AppendLine($"  - {problem}");
            }

            text.AppendLine();
        }

        if (Version.Length == 0)
        {
            text.AppendLine("Worked cases: not run, because the rules cannot be loaded until the problems above are put right.");
        }
        else
        {
            var passed = Cases.Count(c => c.Passed);
            // A case that could not be read is a problem above, and is not run: its rules may look uncovered below.
            var unread = Problems.Where(p => RuleSetFiles.IsWorkedCase(p.File)).Select(p => p.File).Distinct().Count();
            text.AppendLine($"Worked cases: {passed} of {Cases.Count} pass{(unread == 0 ? "" : $"; {unread} more could not be read (see above), so the coverage below may be short")}.");
            foreach (var failed in Cases.Where(c => !c.Passed))
            {
                text.AppendLine($"  FAILED {failed.File}: {failed.Description}");
                foreach (var difference in failed.Differences)
                {
                    text.AppendLine($"      {difference}");
                }

                text.AppendLine($"      rules that fired: {(failed.Fired.Count == 0 ? "none" : string.Join(", ", failed.Fired))}");
            }

            text.AppendLine();
            AppendCoverage(text);
        }

        text.AppendLine();
        text.AppendLine(Passed
            ? "All is well: these rules can be activated."
            : "These rules cannot be activated until everything above is put right.");
        return text.ToString();
    }

    private void AppendCoverage(StringBuilder text)
    {
        text.AppendLine("Coverage:");
        if (Coverage is not { } coverage)
        {
            return;
        }

        text.AppendLine(coverage.RulesNeverFired.Count == 0
            ? "  Every rule is fired by at least one worked case."
            : $"  No worked case fires: {string.Join(", ", coverage.RulesNeverFired)}. Add a worked case in which each of them fires.");
        text.AppendLine(coverage.LimitsNotPinned.Count == 0
            ? "  Every limit's grade and kind are pinned by a worked case."
            : $"  No worked case pins the grade and kind of: {string.Join(", ", coverage.LimitsNotPinned)}. In a passing case where the limit fires, add it to \"expect\" \"limits\", "
              + "e.g. \"limits\": { \"" + coverage.LimitsNotPinned[0] + "\": { \"limit\": \"<the grade it limits to>\", \"kind\": \"<hard or soft>\" } }.");
        if (coverage.QuestionsNotRead.Count > 0)
        {
            text.AppendLine($"  No rule reads the template's questions: {string.Join(", ", coverage.QuestionsNotRead)}. Read each in a rule "
                + "(audit.Answer(\"…\")), or mark it \"informational\": true in template.json if it is asked for the record only.");
        }
    }
}
