using System.Linq.Expressions;
using CroydonAudit.Grading.Facts;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Compiles rule expressions once per rule set with RulesEngine's own expression parser (its lambda
/// dialect, its settings, FastExpressionCompiler), into delegates over the inputs <c>[audit, grading]</c>.
/// An expression may reach only the facts (<see cref="FactsOnly"/>). A mistake is reported with the rule
/// it is in, in words; the delegates never swallow an exception.
/// </summary>
internal sealed class RuleExpressionCompiler
{
    /// <summary>The longest expression: a condition over the facts is a line or two.</summary>
    public const int MaxExpressionLength = 2_000;

    private static readonly ParameterExpression[] Inputs =
        [Expression.Parameter(typeof(AuditFacts), RuleSetLoader.AuditInput), Expression.Parameter(typeof(GradingProgress), RuleSetLoader.GradingInput)];

    private static readonly RuleParameter[] InputTypes =
        [RuleParameter.Create(RuleSetLoader.AuditInput, typeof(AuditFacts)), RuleParameter.Create(RuleSetLoader.GradingInput, typeof(GradingProgress))];

    // Typed inputs only: nothing but the audit's facts and what grading decided is visible to a rule.
    private readonly RuleExpressionParser _parser = new(new ReSettings { AutoRegisterInputType = false, IgnoreException = false });

    /// <summary>The compiled rule, or null after adding its problems.</summary>
    public CompiledRule? Compile(ProblemSite site, RuleDefinition definition, Rule rule)
    {
        var count = site.Problems.Count;
        var condition = Parse(site, "Expression", rule.Expression);
        if (condition is not null && ReturnType(condition) != typeof(bool))
        {
            site.Add("its Expression must be a condition that is true or false, e.g. \"audit.CareAct == \\\"Partial\\\"\".", "Expression");
        }

        var outputText = RuleDefinitionReader.OutputExpression(rule);
        var output = outputText is null ? null : Parse(site, "output expression", outputText);
        if (output is not null && ReturnType(output) is var type)
        {
            if (definition.Effect == RuleEffect.Finding && !typeof(IEnumerable<IFindingSubject>).IsAssignableFrom(type))
            {
                site.Add("its output expression must list what each finding is about (areas, texts, key evidence or recommendations), e.g. \"audit.Areas.Where(a => a.Graded)\".", "OutputExpression");
            }
            else if (definition.Effect != RuleEffect.Finding && type != typeof(int))
            {
                site.Add("its output expression must give a grade's rank, a whole number from 1 (Outstanding) to 4 (Inadequate).", "OutputExpression");
            }
        }

        return site.Problems.Count > count
            ? null
            : new CompiledRule(definition, _parser.Compile<bool>(rule.Expression, InputTypes), outputText is null ? null : _parser.Compile<object>(outputText, InputTypes))
            {
                ConditionReads = FactsOnly.Reads(condition!),
                IsAlwaysTrue = condition is LambdaExpression { Body: ConstantExpression { Value: true } } or ConstantExpression { Value: true },
            };
    }

    private Expression? Parse(ProblemSite site, string what, string expression)
    {
        var property = what == "Expression" ? "Expression" : "OutputExpression";
        if (expression.Length > MaxExpressionLength)
        {
            site.Add($"its {what} is {expression.Length:N0} characters long; at most {MaxExpressionLength:N0} are allowed. Split the rule in two.", property);
            return null;
        }

        Expression parsed;
        try
        {
            parsed = _parser.Parse(expression, Inputs, null);
        }
        catch (Exception e) when (e is System.Linq.Dynamic.Core.Exceptions.ParseException or InvalidOperationException or ArgumentException)
        {
            site.Add($"its {what} ({expression}): {ExpressionProblems.Explain(expression, e.Message)}", property);
            return null;
        }

        var refused = FactsOnly.Refused(parsed);
        if (refused.Count > 0)
        {
            site.Add($"its {what} uses {Text.Words.List(refused)}, which a rule may not: a rule reads only the audit's facts (rules/README.md lists them), "
                + "compares and combines them, counts and filters their lists (Any, All, Count, Where, Select, Sum, Min, Max, First), and may use Math.Max, Math.Min and Math.Abs.", property);
            return null;
        }

        return parsed;
    }

    private static Type ReturnType(Expression parsed) => parsed is LambdaExpression lambda ? lambda.ReturnType : parsed.Type;
}
