using System.Linq.Expressions;
using System.Reflection;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A rule ready to evaluate: its policy, and its condition and output expression compiled once by
/// RulesEngine's expression parser into delegates over the inputs <c>(audit, grading)</c>.
/// </summary>
/// <param name="Definition">The rule's policy from its JSON properties.</param>
/// <param name="Condition">Whether the rule fires.</param>
/// <param name="Output">Its output expression, if it has one: a rank, or the subjects of its findings.</param>
public sealed record CompiledRule(RuleDefinition Definition, Func<AuditFacts, GradingProgress, bool> Condition, Func<AuditFacts, GradingProgress, object>? Output)
{
    /// <summary>The rule's id.</summary>
    public string RuleId => Definition.RuleId;

    /// <summary>The facts its condition reads (properties of the fact types), in order of first reading.</summary>
    public IReadOnlyList<MemberInfo> ConditionReads { get; init; } = [];

    /// <summary>The template's questions it reads (<c>audit.Answer("…")</c>, in its condition or output), in order of first reading.</summary>
    public IReadOnlyList<string> QuestionsRead { get; init; } = [];

    /// <summary>Its condition as parsed, before compiling: a tree over the inputs <c>(audit, grading)</c>, for putting it in words.</summary>
    public LambdaExpression? ConditionTree { get; init; }

    /// <summary>Its condition is the constant <c>true</c>: it fires on every audit.</summary>
    public bool IsAlwaysTrue { get; init; }

    /// <summary>Its trace entry when it does not fire: the same every time, so built once.</summary>
    public RuleTraceEntry NotFired { get; } = new(Definition.Workflow, Definition.RuleId, false, "", "", Definition.GuidanceRef, "");
}
