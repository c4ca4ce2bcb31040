using System.Collections;
using System.Reflection;
using CroydonAudit.Grading.Domain;
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
                    lines.Add($"{Name(member)}: {Describe(member, value)}");
                }

                continue;
            }

            // A fact of each item of a list read before it (an area's significant concern, a recommendation's value).
            if (collections.LastOrDefault(c => member.DeclaringType!.IsAssignableFrom(ItemType(c.Property))) is ({ } list, var subjects)
                && member.PropertyType == typeof(bool))
            {
                var holding = subjects.Where(s => member.GetValue(s) is true).Select(s => s.Label).ToList();
                lines.Add($"{Name(member)}: {(holding.Count == 0 ? $"none of the {Words.Named(list.Name).ToLowerInvariant()}" : Words.List(holding))}");
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

    // The facts whose own names are the engine's, in the words of the guidance; every other fact is named by its name.
    private static readonly Dictionary<string, string> FactWords = new(StringComparer.Ordinal)
    {
        [nameof(AuditFacts.HasProposedGrade)] = "The auditor proposed a grade",
        [nameof(AuditFacts.ProposedRank)] = "The grade the auditor proposed",
        [nameof(AuditFacts.MedianRank)] = "The median of the area grades",
        [nameof(AuditFacts.WorstRank)] = "The lowest area grade",
        [nameof(AuditFacts.CareAct)] = "Care Act compliance",
        [nameof(AuditFacts.OrganisationalLearningPointCount)] = "Organisational learning points",
        [nameof(TextFact.IsEmpty)] = "Not written",
        [nameof(TextFact.IsBland)] = "Written in general terms only",
        [nameof(RecommendationFact.NamesValue)] = "Names a Croydon value",
        [nameof(GradingProgress.BaseRank)] = "The base grade",
        [nameof(GradingProgress.OverallRank)] = "The overall grade so far",
        [nameof(GradingProgress.StrictestSoftLimitRank)] = "The strictest soft limit",
        [nameof(GradingProgress.StrictestHardLimitRank)] = "The strictest hard limit",
        [nameof(GradingProgress.OverrideApplied)] = "Whether an override relaxed the limits",
        [nameof(GradingProgress.SoftLimitsRelaxedBy)] = "How far an override relaxed the soft limits",
    };

    /// <summary>
    /// Everything <paramref name="rule"/>'s condition looks at, in words — the facts it reads, what earlier rules
    /// decided, the template's questions in <paramref name="template"/>'s words — for the rules page's "when it applies".
    /// </summary>
    public static IReadOnlyList<string> Reads(CompiledRule rule, Templates.AuditTemplate template) =>
        [.. rule.ConditionReads.OfType<PropertyInfo>().Select(Name)
            .Concat(rule.QuestionsRead.Select(id => template.Questions.TryGetValue(id, out var question) ? question.Text : id))
            .Distinct()];

    private static string Name(PropertyInfo fact) => FactWords.GetValueOrDefault(fact.Name) ?? Words.Named(fact.Name);

    // A grade's rank (1 Outstanding to 4 Inadequate, 0 none) is read as the grade it stands for.
    private static string Describe(PropertyInfo fact, object? value) => value switch
    {
        int rank when fact.Name.EndsWith("Rank", StringComparison.Ordinal) => rank is >= 1 and <= 4 ? Words.Of((Grade)rank) : "none",
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
