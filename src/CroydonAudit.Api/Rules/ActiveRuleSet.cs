using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Rules;

/// <summary>
/// The rule set this replica grades by, swapped whole when another is activated. A call takes the grader
/// once and grades with it throughout, so one grading never mixes two versions.
/// </summary>
public sealed class ActiveRuleSet(TimeProvider clock, IOptions<GradingOptions> options)
{
    private volatile AuditGrader? _grader;

    /// <summary>The grader for the rule set in use.</summary>
    public AuditGrader Grader => _grader ?? throw new InvalidOperationException("No rule set has been loaded yet.");

    /// <summary>Whether a rule set has been loaded.</summary>
    public bool IsLoaded => _grader is not null;

    /// <summary>Grades by <paramref name="ruleSet"/> from now on (it has been checked and warmed).</summary>
    internal void Use(RuleSet ruleSet) => _grader = new AuditGrader(ruleSet, clock, options.Value.EvaluationBudgetSteps);
}
