using System.Reflection;
using System.Text.RegularExpressions;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Turns the expression parser's messages into words a rule author can act on: an unknown fact with the
/// nearest real one, a recorded value that is not one of the fact's values with the list of values.
/// </summary>
internal static partial class ExpressionProblems
{
    private static readonly Dictionary<string, (Type Type, string Name)> FactTypes = new[]
    {
        (typeof(AuditFacts), "audit"), (typeof(GradingProgress), "grading"), (typeof(AreaFact), "an area"),
        (typeof(TextFact), "a text fact"), (typeof(KeyEvidenceFact), "a key evidence fact"), (typeof(RecommendationFact), "a recommendation"),
    }.ToDictionary(t => t.Item1.Name, t => t);

    /// <summary>The parser's message, explained.</summary>
    public static string Explain(string expression, string parserMessage)
    {
        if (UnknownMember().Match(parserMessage) is { Success: true } unknown)
        {
            return ExplainUnknownMember(unknown.Groups["name"].Value, unknown.Groups["type"].Value);
        }

        if (ExpectedType().Match(parserMessage) is { Success: true } expected
            && typeof(Domain.Grade).Assembly.GetType(expected.Groups["type"].Value) is { IsEnum: true } enumType)
        {
            return ExplainValue(expression, enumType) ?? $"a recorded value is compared with something that is not one of its values ({Words.ValuesOf(enumType)}).";
        }

        return $"it cannot be understood: {parserMessage.TrimEnd('.')}.";
    }

    private static string ExplainUnknownMember(string name, string typeName)
    {
        if (!FactTypes.TryGetValue(typeName, out var fact))
        {
            return $"\"{name}\" is not something a rule can use here. The facts a rule can use are listed in rules/README.md.";
        }

        var members = fact.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToList();
        var nearest = NearestWord.Find(name, members);
        return nearest is null
            ? $"{fact.Name} has no fact \"{name}\". Its facts are: {string.Join(", ", members)}."
            : $"{fact.Name} has no fact \"{name}\". Did you mean \"{nearest}\"?";
    }

    private static string? ExplainValue(string expression, Type enumType)
    {
        var names = Enum.GetNames(enumType);
        var wrong = StringLiteral().Matches(expression).Select(m => m.Groups[1].Value)
            .Where(v => !names.Contains(v, StringComparer.OrdinalIgnoreCase)).Distinct().ToList();
        if (wrong.Count == 0)
        {
            return null;
        }

        var what = enumType == typeof(Domain.Grade) ? "a grade" : $"one of the values of {FactName(enumType)}";
        return string.Join(" ", wrong.Select(value =>
        {
            var nearest = NearestWord.Find(value, names);
            return $"\"{value}\" is not {what}: the values are {Words.ValuesOf(enumType)}."
                + (nearest is null ? "" : $" Did you mean \"{nearest}\"?");
        }));
    }

    private static string FactName(Type enumType) =>
        typeof(AuditFacts).GetProperties().FirstOrDefault(p => p.PropertyType == enumType)?.Name
        ?? typeof(AreaFact).GetProperties().FirstOrDefault(p => p.PropertyType == enumType)?.Name
        ?? enumType.Name;

    [GeneratedRegex(@"No property or field '(?<name>\w+)' exists in type '(?<type>\w+)'")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"Expression of type '(?<type>[\w.]+)' expected")]
    private static partial Regex ExpectedType();

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();
}
