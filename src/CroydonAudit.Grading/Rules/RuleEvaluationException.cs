namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A rule could not be evaluated for an audit. Grading stops: a rule that fails is never read as
/// "did not fire".
/// </summary>
public sealed class RuleEvaluationException(string workflow, string ruleId, string problem)
    : Exception($"Rule {ruleId} (workflow {workflow}) could not be evaluated: {problem}")
{
    /// <summary>The workflow of the failing rule.</summary>
    public string Workflow { get; } = workflow;

    /// <summary>The failing rule.</summary>
    public string RuleId { get; } = ruleId;

    /// <summary>What went wrong, in the expression's own words.</summary>
    public string Problem { get; } = problem;
}
