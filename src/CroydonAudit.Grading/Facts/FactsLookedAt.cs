using System.Collections;
using System.Reflection;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// What a rule looked at on an audit, in words: for a rule that did not fire, what this audit has beside the
/// condition it would have applied on (<see cref="Text.ConditionWords"/>). Derived from the facts its condition reads
/// (<see cref="CompiledRule.ConditionReads"/>), named by <see cref="FactNames"/>, never written per rule:
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
                    lines.Add($"{Name(member)}: {Describe(member, value, facts)}");
                }

                continue;
            }

            // A fact of each item of a list read before it (an area's significant concern, a recommendation's value).
            if (collections.LastOrDefault(c => member.DeclaringType!.IsAssignableFrom(ItemType(c.Property))) is ({ } list, var subjects)
                && member.PropertyType == typeof(bool))
            {
                var holding = subjects.Where(s => member.GetValue(s) is true).Select(s => s.Label).ToList();
                lines.Add($"{Name(member)}: {(holding.Count == 0 ? $"none of the {FactNames.Of(list).Name}" : Words.List(holding))}");
            }
        }

        foreach (var (list, items) in collections.Where(c => !ItemFactRead(rule, c.Property)))
        {
            lines.Add($"{Name(list)}: {items.Count} listed");
        }

        // The template's questions it reads, in the template's words: "Was a carer's assessment offered?: Not offered".
        foreach (var answer in rule.QuestionsRead.Select(facts.Answer))
        {
            lines.Add($"{new FactName(answer.Label).Capitalised}: {answer.Words}");
        }

        return lines.Distinct().ToList();
    }

    private static string Name(PropertyInfo fact) => FactNames.Of(fact).Capitalised;

    // A grade's rank (1 Outstanding to 4 Inadequate, 0 none) is read as the grade it stands for.
    private static string Describe(PropertyInfo fact, object? value, AuditFacts facts) => value switch
    {
        int rank when fact.Name.EndsWith("Rank", StringComparison.Ordinal) => rank is >= 1 and <= 4 ? Words.Of((Grade)rank) : "none",
        TextFact { IsEmpty: true } => "not recorded",
        TextFact text => $"{text.Words} word{(text.Words == 1 ? "" : "s")}{(text.IsBland ? ", bland" : "")}",
        _ => FactNames.ValueWords(fact, value, facts.Book?.Template ?? Templates.AuditTemplate.Contract),
    };

    private static Type ItemType(PropertyInfo list) =>
        list.PropertyType.GetGenericArguments().FirstOrDefault() ?? typeof(object);

    // Whether the rule read a yes/no fact of the list's items (then the list is described by it).
    private static bool ItemFactRead(CompiledRule rule, PropertyInfo list) =>
        rule.ConditionReads.OfType<PropertyInfo>().Any(m => m.PropertyType == typeof(bool) && m.DeclaringType!.IsAssignableFrom(ItemType(list)));
}
