using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading;

/// <summary>How one rule came out for one audit.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Fired">Its condition held.</param>
/// <param name="Rank">For a fired base or limit rule: the grade's rank it gives.</param>
/// <param name="Subjects">For a fired finding rule with an output expression: one finding per subject; null for one finding about the whole audit.</param>
public readonly record struct RuleOutcome(RuleDefinition Rule, bool Fired, int Rank, IReadOnlyList<IFindingSubject>? Subjects)
{
    /// <summary>Evaluates a compiled rule on the inputs <c>(audit, grading)</c>, within the audit's evaluation budget.</summary>
    /// <exception cref="RuleEvaluationException">Its condition or output cannot be evaluated for these inputs, or needs more than the budget: never read as "did not fire".</exception>
    /// <exception cref="OperationCanceledException">The caller gave up (its deadline passed).</exception>
    public static RuleOutcome Evaluate(CompiledRule compiled, AuditFacts audit, GradingProgress grading)
    {
        var rule = compiled.Definition;
        try
        {
            if (!compiled.Condition(audit, grading))
            {
                return new RuleOutcome(rule, false, 0, null);
            }

            var output = compiled.Output?.Invoke(audit, grading);
            return rule.Effect switch
            {
                RuleEffect.Base or RuleEffect.Limit => new RuleOutcome(rule, true, ReadRank(rule, output), null),
                RuleEffect.Finding when compiled.Output is not null => new RuleOutcome(rule, true, 0, ReadSubjects(rule, output)),
                _ => new RuleOutcome(rule, true, 0, null),
            };
        }
        catch (Exception e) when (e is not RuleEvaluationException and not OperationCanceledException)
        {
            throw new RuleEvaluationException(rule.Workflow, rule.RuleId, e.Message);
        }
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
