using System.Reflection;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Every audit must get a base grade, or grading it would fail. The base rules cover every audit when
/// the last of them always fires (its Expression is <c>true</c>), or when they read only plain facts
/// of the audit — yes/no, recorded values, ranks, counts — and some base rule fires for every
/// combination of them, which is checked here by trying each combination.
/// </summary>
internal static class BaseCoverage
{
    private const int MaxCombinations = 4_096;

    private static readonly MethodInfo Clone = typeof(AuditFacts).GetMethod("<Clone>$")!;

    public static void Check(IReadOnlyList<CompiledRule> rules, BlandTextPolicy bland, Func<CompiledRule, ProblemSite> siteOf, ProblemSite manifest)
    {
        var bases = rules.Where(r => r.Definition.Effect == RuleEffect.Base).ToList();
        if (bases.Count == 0)
        {
            manifest.Add("there is no base rule, so no audit would get a base grade. Add a rule with \"effect\": \"base\" whose Expression is \"true\".");
            return;
        }

        var last = bases[^1];
        if (last.IsAlwaysTrue)
        {
            return;
        }

        var facts = bases.SelectMany(r => r.ConditionReads).Distinct().ToList();
        var domains = facts.Select(Domain).ToList();
        var unknown = facts.Where((_, i) => domains[i] is null).Select(f => f.Name).ToList();
        var combinations = domains.Aggregate(1L, (n, d) => n * (d?.Length ?? 1));
        if (unknown.Count > 0 || combinations > MaxCombinations)
        {
            siteOf(last).Add(
                $"the last base rule must fire for every audit the base rules before it leave without a base grade, and the service cannot check that here"
                + (unknown.Count > 0 ? $" (the base rules read {Words.List(unknown)})" : "")
                + ". Make the last base rule's Expression \"true\": it only sets the base grade when no base rule before it did.", "Expression");
            return;
        }

        var baseline = AuditFactsBuilder.Build(SampleAudits.Complete, bland);
        foreach (var combination in Combinations(domains!))
        {
            var audit = (AuditFacts)Clone.Invoke(baseline, null)!;
            for (var i = 0; i < facts.Count; i++)
            {
                ((PropertyInfo)facts[i]).SetValue(audit, combination[i]);
            }

            if (!bases.Any(rule => Fires(rule, audit)))
            {
                var example = Words.List([.. facts.Select((f, i) => $"{f.Name} is {Words.Describe(combination[i])}")]);
                siteOf(last).Add(
                    $"no base rule fires for an audit where {example}, so it would get no base grade. "
                    + "Make the last base rule's Expression \"true\": it only sets the base grade when no base rule before it did.", "Expression");
                return;
            }
        }
    }

    private static bool Fires(CompiledRule rule, AuditFacts audit)
    {
        try
        {
            using (EvaluationBudget.Begin(EvaluationBudget.DefaultSteps, CancellationToken.None))
            {
                return rule.Condition(audit, GradingProgress.Start);
            }
        }
        catch (Exception)
        {
            // Facts combined here may not occur together in a real audit; a rule that fails on them does not fire.
            return false;
        }
    }

    // The values a plain fact of the audit can take; null for anything else (lists, texts, what grading decided).
    private static object[]? Domain(MemberInfo member) => member is PropertyInfo { DeclaringType: var type } property && type == typeof(AuditFacts)
        ? property.PropertyType switch
        {
            var t when t == typeof(bool) => [false, true],
            { IsEnum: true } t => [.. Enum.GetValues(t).Cast<object>()],
            var t when t == typeof(int) && property.Name.EndsWith("Rank", StringComparison.Ordinal) => [.. Enumerable.Range(0, 5).Cast<object>()],
            var t when t == typeof(int) && property.Name == nameof(AuditFacts.GradedAreaCount) => [.. Enumerable.Range(0, 10).Cast<object>()],
            var t when t == typeof(int) && property.Name.EndsWith("Count", StringComparison.Ordinal) => [.. Enumerable.Range(0, 51).Cast<object>()],
            _ => null,
        }
        : null;

    private static IEnumerable<object[]> Combinations(IReadOnlyList<object[]> domains)
    {
        var indexes = new int[domains.Count];
        while (true)
        {
            yield return [.. domains.Select((d, i) => d[indexes[i]])];
            var position = 0;
            while (position < indexes.Length && ++indexes[position] == domains[position].Length)
            {
                indexes[position++] = 0;
            }

            if (position == indexes.Length)
            {
                yield break;
            }
        }
    }
}
