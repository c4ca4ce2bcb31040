using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.RuleSets.WorkedCases;

/// <summary>How one worked case came out: passed, or every way grading differed from what it expects, in words.</summary>
/// <param name="File">The worked case's file.</param>
/// <param name="Description">What it shows.</param>
/// <param name="Differences">Every way grading differed; empty when it passed.</param>
/// <param name="Fired">The rules that fired, in trace order.</param>
/// <param name="PinnedLimits">The limits whose grade and kind it pins, and checked.</param>
public sealed record WorkedCaseResult(string File, string Description, IReadOnlyList<string> Differences, IReadOnlyList<string> Fired, IReadOnlyList<string> PinnedLimits)
{
    /// <summary>Grading decided everything the case expects.</summary>
    public bool Passed => Differences.Count == 0;

    /// <summary>Grades the case's audit as the service would — the same validation, mapping and rules — and compares.</summary>
    public static WorkedCaseResult Run(WorkedCase workedCase, AuditGrader grader)
    {
        var expect = workedCase.Expect;
        var violations = AuditSubmissionValidator.Validate(workedCase.Audit);
        violations.AddRange(violations.Count == 0 ? TemplateAnswers.Validate(workedCase.Audit, grader.RuleSet.Template) : []);
        if (violations.Count > 0)
        {
            return Failed(workedCase, [.. violations.Take(10).Select(v => $"the service would refuse its audit: {v.Field} {v.Description}")]);
        }

        GradingResult result;
        IReadOnlyList<RuleOutcome> outcomes;
        try
        {
            result = grader.Grade(workedCase.Audit.ToDomain(), out outcomes);
        }
        catch (RuleEvaluationException e)
        {
            return Failed(workedCase, [$"grading failed: rule \"{e.RuleId}\" could not be evaluated: {e.Problem}"]);
        }

        var fired = result.Trace.Where(t => t.Fired).Select(t => t.RuleId).ToList();
        var differences = new List<string>();
        Compare(differences, "overall grade", Words.Of(expect.OverallGrade), Words.Of(result.OverallGrade));
        Compare(differences, "status", expect.Status.ToString().ToLowerInvariant(), result.Status.ToString().ToLowerInvariant());
        if (!expect.Fired.SequenceEqual(fired))
        {
            var missing = expect.Fired.Except(fired).ToList();
            var extra = fired.Except(expect.Fired).ToList();
            differences.Add("rules that fired: " + string.Join("; ", new[]
            {
                missing.Count > 0 ? $"expected to fire but did not: {string.Join(", ", missing)}" : null,
                extra.Count > 0 ? $"fired but not expected: {string.Join(", ", extra)}" : null,
                missing.Count == 0 && extra.Count == 0 ? $"in a different order: {string.Join(", ", fired)}" : null,
            }.OfType<string>()));
        }

        var findings = result.Findings.Select(f => f.RuleId).ToList();
        if (!expect.Findings.SequenceEqual(findings))
        {
            differences.Add($"findings: expected {Listed(expect.Findings)}, got {Listed(findings)}");
        }

        foreach (var (ruleId, pin) in expect.Limits)
        {
            var outcome = outcomes.FirstOrDefault(o => o.Rule.RuleId == ruleId);
            if (outcome.Rule is null || outcome.Rule.Effect != RuleEffect.Limit)
            {
                differences.Add($"\"limits\" names {ruleId}, which is not a limit rule of this rule set");
            }
            else if (!outcome.Fired)
            {
                differences.Add($"{ruleId}: expected {pin}, but it did not fire");
            }
            else if (new LimitPin((Grade)outcome.Rank, outcome.Rule.Kind) is var actual && actual != pin)
            {
                differences.Add($"{ruleId}: expected {pin}, but it is {actual}");
            }
        }

        if (expect.BaseGrade is { } baseGrade)
        {
            Compare(differences, "base grade", Words.Of(baseGrade), Words.Of(result.BaseGrade));
        }

        if (expect.CapApplied is { } capApplied)
        {
            Compare(differences, "held below the base grade", YesNo(capApplied), YesNo(result.CapApplied));
        }

        if (expect.ModerationRequired is { } moderation)
        {
            Compare(differences, "needs moderation", YesNo(moderation), YesNo(result.ModerationRequired));
        }

        return new WorkedCaseResult(workedCase.File, workedCase.Description, differences, fired, [.. expect.Limits.Keys]);
    }

    private static WorkedCaseResult Failed(WorkedCase workedCase, IReadOnlyList<string> differences) =>
        new(workedCase.File, workedCase.Description, differences, [], []);

    private static void Compare(List<string> differences, string what, string expected, string actual)
    {
        if (expected != actual)
        {
            differences.Add($"{what}: expected {expected}, got {actual}");
        }
    }

    private static string Listed(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private static string YesNo(bool value) => value ? "yes" : "no";
}
