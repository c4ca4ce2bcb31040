using System.Linq.Expressions;
using CroydonAudit.Grading.Facts;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Compiles rule expressions once per rule set with RulesEngine's own expression parser (its lambda
/// dialect, its settings, FastExpressionCompiler), into delegates over the inputs <c>[audit, grading]</c>.
/// A mistake is reported with the rule it is in; the delegates never swallow an exception.
/// </summary>
internal sealed class RuleExpressionCompiler
{
    private static readonly ParameterExpression[] Inputs =
        [Expression.Parameter(typeof(AuditFacts), RuleSetLoader.AuditInput), Expression.Parameter(typeof(GradingProgress), RuleSetLoader.GradingInput)];

    private static readonly RuleParameter[] InputTypes =
        [RuleParameter.Create(RuleSetLoader.AuditInput, typeof(AuditFacts)), RuleParameter.Create(RuleSetLoader.GradingInput, typeof(GradingProgress))];

    // Typed inputs only: nothing but the audit's facts and what grading decided is visible to a rule.
    private readonly RuleExpressionParser _parser = new(new ReSettings { AutoRegisterInputType = false, IgnoreException = false });

    /// <summary>The compiled rule, or null after adding its problems.</summary>
    public CompiledRule? Compile(string where, RuleDefinition definition, Rule rule, List<string> problems)
    {
        var count = problems.Count;
        if (TypeOf(where, "Expression", rule.Expression, problems) is { } condition && condition != typeof(bool))
        {
            problems.Add($"{where}: its Expression must be a condition that is true or false, e.g. \"audit.CareAct == \\\"Partial\\\"\".");
        }

        var output = RuleDefinitionReader.OutputExpression(rule);
        if (output is not null && TypeOf(where, "output expression", output, problems) is { } type)
        {
            if (definition.Effect == RuleEffect.Finding && !typeof(IEnumerable<IFindingSubject>).IsAssignableFrom(type))
            {
                problems.Add($"{where}: its output expression must list what each finding is about (areas, texts, key evidence or recommendations), e.g. \"audit.Areas.Where(a => a.Graded)\".");
            }
            else if (definition.Effect != RuleEffect.Finding && type != typeof(int))
            {
                problems.Add($"{where}: its output expression must give a grade's rank, a whole number from 1 (Outstanding) to 4 (Inadequate).");
            }
        }

        return problems.Count > count
            ? null
            : new CompiledRule(definition, _parser.Compile<bool>(rule.Expression, InputTypes), output is null ? null : _parser.Compile<object>(output, InputTypes));
    }

    private Type? TypeOf(string where, string what, string expression, List<string> problems)
    {
        try
        {
            var parsed = _parser.Parse(expression, Inputs, null);
            return parsed is LambdaExpression lambda ? lambda.ReturnType : parsed.Type;
        }
        catch (Exception e) when (e is System.Linq.Dynamic.Core.Exceptions.ParseException or InvalidOperationException or ArgumentException)
        {
            problems.Add($"{where}: its {what} \"{expression}\" cannot be understood: {e.Message.TrimEnd('.')}. The facts a rule can use are listed in rules/README.md.");
            return null;
        }
    }
}
