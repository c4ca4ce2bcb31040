using System.Collections;
using System.Reflection;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// What a rule looked at on an audit, in words: for a rule that did not fire, the answer to "why not?". Derived
/// from the facts its condition reads (<see cref="CompiledRule.ConditionReads"/>), never written per rule:
/// "Risk: weighed", "Immediate risk identified: no", "Summary of findings: 42 words",
/// "Significant concern: none of the areas".
/// </summary>
public static class FactsLookedAt
{
    /// <summary>The facts <paramref name="rule"/>'s condition reads, with their values on <paramref name="facts"/>.</summary>
    public static IReadOnlyList<string> Of(CompiledRule rule, AuditFacts facts)
    {
        var lines = new List<string>();
        var collections = new List<(PropertyInfo Property, IReadOnlyList<IFindingSubject> Items)>();
        foreach (var member in rule.ConditionReads.OfType<PropertyInfo>())
        {
            if (member.DeclaringType == typeof(AuditFacts))
            {
                var value = member.GetValue(facts);
                if (value is IEnumerable items and not string)
                {
                    collections.Add((member, [.. items.OfType<IFindingSubject>()]));
                }
                else
                {
                    lines.Add($"{Words.Named(member.Name)}: {Describe(value)}");
                }

                continue;
            }

            // A fact of each item of a list read before it (an area's significant concern, a recommendation's value).
            if (collections.LastOrDefault(c => member.DeclaringType!.IsAssignableFrom(ItemType(c.Property))) is ({ } list, var subjects)
                && member.PropertyType == typeof(bool))
            {
                var holding = subjects.Where(s => member.GetValue(s) is true).Select(s => s.Label).ToList();
                lines.Add($"{Words.Named(member.Name)}: {(holding.Count == 0 ? $"none of the {Words.Named(list.Name).ToLowerInvariant()}" : Words.List(holding))}");
            }
        }

        foreach (var (list, items) in collections.Where(c => !ItemFactRead(rule, c.Property)))
        {
            lines.Add($"{Words.Named(list.Name)}: {items.Count} listed");
        }

        // The template's questions it reads, in the template's words: "Was a carer's assessment offered?: Not offered".
        foreach (var answer in rule.QuestionsRead.Select(facts.Answer))
        {
            lines.Add($"{answer.Label}: {answer.Words}");
        }

        return lines.Distinct().ToList();
    }

    private static string Describe(object? value) => value switch
    {
        TextFact { IsEmpty: true } => "not recorded",
        TextFact text => $"{text.Words} word{(text.Words == 1 ? "" : "s")}{(text.IsBland ? ", bland" : "")}",
        _ => Words.Describe(value),
    };

    private static Type ItemType(PropertyInfo list) =>
        list.PropertyType.GetGenericArguments().FirstOrDefault() ?? typeof(object);

    // Whether the rule read a yes/no fact of the list's items (then the list is described by it).
    private static bool ItemFactRead(CompiledRule rule, PropertyInfo list) =>
        rule.ConditionReads.OfType<PropertyInfo>().Any(m => m.PropertyType == typeof(bool) && m.DeclaringType!.IsAssignableFrom(ItemType(list)));
}
