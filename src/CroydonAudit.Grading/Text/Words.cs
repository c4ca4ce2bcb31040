using System.Collections.Concurrent;
using System.Text;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Text;

/// <summary>The guidance's names for grades, areas and recorded values, for people to read.</summary>
public static class Words
{
    private static readonly ConcurrentDictionary<Enum, string> Humanised = new();

    /// <summary>"Outstanding", "Good", "Requires improvement", "Inadequate"; "not graded" for none.</summary>
    public static string Of(Grade grade) => grade switch
    {
        Grade.Outstanding => "Outstanding",
        Grade.Good => "Good",
        Grade.RequiresImprovement => "Requires improvement",
        Grade.Inadequate => "Inadequate",
        _ => "not graded",
    };

    /// <summary>The area's short name, e.g. "Adult's voice".</summary>
    public static string Of(PracticeArea area) => area switch
    {
        PracticeArea.RiskAndNeed => "Risk and need",
        PracticeArea.Assessment => "Assessment",
        PracticeArea.PlansAndReviews => "Plans and reviews",
        PracticeArea.AdultVoice => "Adult's voice",
        PracticeArea.FamilyEngagement => "Family engagement",
        PracticeArea.ProfessionalCuriosity => "Professional curiosity",
        PracticeArea.ManagementOversight => "Management oversight",
        PracticeArea.CaseRecords => "Case records",
        PracticeArea.Impact => "Impact",
        _ => "no area",
    };

    /// <summary>Parses a grade written in words ("Requires improvement"), ignoring case and spaces.</summary>
    public static bool TryParseGrade(string? text, out Grade grade)
    {
        var key = (text ?? "").Replace(" ", "", StringComparison.Ordinal);
        grade = Enum.GetValues<Grade>().FirstOrDefault(g =>
            g != Grade.Unspecified && string.Equals(g.ToString(), key, StringComparison.OrdinalIgnoreCase));
        return grade != Grade.Unspecified;
    }

    /// <summary>Any value as words: grades and areas by name, other enums lower-cased ("required not provided").</summary>
    public static string Describe(object? value) => value switch
    {
        null => "",
        string s => s,
        Grade g => Of(g),
        PracticeArea a => Of(a),
        Enum e when Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) == 0 => "not recorded",
        Enum e => Humanised.GetOrAdd(e, static e => Humanise(e.ToString())),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A recorded value's names as a rule writes them: "Compliant, Partial or NonCompliant (or Unspecified when not recorded)".</summary>
    public static string ValuesOf(Type enumType)
    {
        var names = Enum.GetNames(enumType).Where(n => n != "Unspecified").ToList();
        return $"{string.Join(", ", names.SkipLast(1))} or {names[^1]} (or Unspecified when not recorded)";
    }

    /// <summary>A fact's or value's PascalCase name as words, capitalised: "PersonInvolvement" is "Person involvement".</summary>
    public static string Named(string pascalCase)
    {
        var words = Humanise(pascalCase);
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>"A", "A and B", "A, B and C" (or "A, B or C").</summary>
    public static string List(IReadOnlyList<string> items, string conjunction = "and") => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + $" {conjunction} " + items[^1],
    };

    private static string Humanise(string pascalCase)
    {
        var text = new StringBuilder(pascalCase.Length + 8);
        foreach (var c in pascalCase)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
