using System.Linq.Expressions;
using FastExpressionCompiler;
using CroydonAudit.Grading.Facts;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Compiles rule expressions once per rule set: parsed by RulesEngine's own expression parser (its lambda
/// dialect and settings), checked to reach only the facts (<see cref="FactsOnly"/>), metered against the
/// audit's <see cref="EvaluationBudget"/>, and compiled with FastExpressionCompiler as RulesEngine does,
/// into delegates over the inputs <c>(audit, grading)</c>. A mistake is reported with the rule it is in, in
/// words; the delegates never swallow an exception.
/// </summary>
internal sealed class RuleExpressionCompiler(Templates.AuditTemplate template)
{
    /// <summary>The longest expression: a condition over the facts is a line or two.</summary>
    public const int MaxExpressionLength = 2_000;

    private static readonly ParameterExpression[] Inputs =
        [Expression.Parameter(typeof(AuditFacts), RuleSetLoader.AuditInput), Expression.Parameter(typeof(GradingProgress), RuleSetLoader.GradingInput)];

    // Typed inputs only: nothing but the audit's facts and what grading decided is visible to a rule. The fact types are
    // named to the parser so that their few methods (audit.Answer("…")) can be called; FactsOnly allows no others.
    private readonly RuleExpressionParser _parser = new(new ReSettings { AutoRegisterInputType = false, IgnoreException = false, CustomTypes = [.. FactsOnly.Types] });

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

        var questionsRead = new List<string>();
        foreach (var parsed in new[] { condition, output }.OfType<Expression>())
        {
            foreach (var problem in TemplateReferences.Check(parsed, template, questionsRead))
            {
                site.Add(problem, parsed == condition ? "Expression" : "OutputExpression");
            }
        }

        return site.Problems.Count > count
            ? null
            : new CompiledRule(definition, Compile<bool>(condition!), output is null ? null : Compile<object>(output))
            {
                ConditionReads = FactsOnly.Reads(condition!),
                ConditionTree = condition as LambdaExpression ?? Expression.Lambda(condition!, Inputs),
                QuestionsRead = [.. questionsRead.Distinct()],
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

    // Compiled as RulesEngine compiles (FastExpressionCompiler), typed over the two inputs, with every lambda
    // inside metered against the audit's evaluation budget.
    private static Func<AuditFacts, GradingProgress, T> Compile<T>(Expression parsed)
    {
        var body = EvaluationBudget.Metered(parsed is LambdaExpression lambda ? lambda.Body : parsed);
        var typed = Expression.Lambda<Func<AuditFacts, GradingProgress, T>>(body.Type == typeof(T) ? body : Expression.Convert(body, typeof(T)), Inputs);
        return typed.CompileFast(ifFastFailedReturnNull: true) ?? typed.Compile();
    }
}
