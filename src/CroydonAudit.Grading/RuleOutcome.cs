using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using RulesEngine.Models;

namespace CroydonAudit.Grading;

/// <summary>How one rule came out for one audit.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Fired">Its condition held.</param>
/// <param name="Rank">For a fired base or limit rule: the grade's rank it gives.</param>
/// <param name="Subjects">For a fired finding rule with an output expression: one finding per subject; null for one finding about the whole audit.</param>
public readonly record struct RuleOutcome(RuleDefinition Rule, bool Fired, int Rank, IReadOnlyList<IFindingSubject>? Subjects)
{
    /// <summary>Reads RulesEngine's result; an expression or output error fails loudly.</summary>
    /// <exception cref="RuleEvaluationException">The rule could not be evaluated.</exception>
    public static RuleOutcome From(RuleDefinition rule, RuleResultTree result)
    {
        if (result.Rule.RuleName != rule.RuleId)
        {
            throw new RuleEvaluationException(rule.Workflow, rule.RuleId, $"RulesEngine returned rule {result.Rule.RuleName} in its place.");
        }

        var error = result.ExceptionMessage is { Length: > 0 } message ? message : result.ActionResult?.Exception?.Message;
        if (error is not null)
        {
            throw new RuleEvaluationException(rule.Workflow, rule.RuleId, error);
        }

        if (!result.IsSuccess)
        {
            return new RuleOutcome(rule, false, 0, null);
        }

        var output = result.ActionResult?.Output;
        return rule.Effect switch
        {
            RuleEffect.Base or RuleEffect.Limit => new RuleOutcome(rule, true, ReadRank(rule, output), null),
            RuleEffect.Finding when rule.HasOutput => new RuleOutcome(rule, true, 0, ReadSubjects(rule, output)),
            _ => new RuleOutcome(rule, true, 0, null),
        };
    }

    private static int ReadRank(RuleDefinition rule, object? output)
    {
        if (rule.FixedLimit != Grade.Unspecified)
        {
            return (int)rule.FixedLimit;
        }

        return output is int rank and >= (int)Grade.Outstanding and <= (int)Grade.Inadequate
            ? rank
            : throw new RuleEvaluationException(rule.Workflow, rule.RuleId, $"its output expression gave {output ?? "nothing"}, which is not a grade's rank (1 Outstanding to 4 Inadequate).");
    }

    private static IFindingSubject[] ReadSubjects(RuleDefinition rule, object? output) =>
        output is IEnumerable<IFindingSubject> subjects
            ? [.. subjects]
            : throw new RuleEvaluationException(rule.Workflow, rule.RuleId, "its output expression did not list what the findings are about.");
}
