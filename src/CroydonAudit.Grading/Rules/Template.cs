using System.Reflection;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// An explanation or message with placeholders: <c>{audit.LowestGrade}</c>, <c>{grading.BaseGrade}</c>,
/// <c>{limit}</c>, <c>{subjects}</c>, <c>{subject}</c>, <c>{count}</c>, <c>{guidance}</c>. Placeholders
/// are resolved when the rule set loads, so a misspelt one is refused then, not while grading.
/// Values render in words: grades and areas by name, yes/no, numbers.
/// </summary>
public sealed class Template
{
    private static readonly Dictionary<string, Func<TemplateValues, object?>> RuleValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["limit"] = v => v.Limit,
        ["subjects"] = v => v.Subjects,
        ["count"] = v => v.Count,
        ["subject"] = v => v.Subject,
        ["guidance"] = v => v.Guidance,
    };

    private readonly (string Literal, Func<TemplateValues, object?>? Value)[] _parts;

    private Template((string, Func<TemplateValues, object?>?)[] parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    /// <summary>An empty template.</summary>
    public static Template Empty { get; } = new([], "");

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Parses a template; returns the placeholders it could not resolve.</summary>
    public static Template Parse(string text, out IReadOnlyList<string> unknown)
    {
        var parts = new List<(string, Func<TemplateValues, object?>?)>();
        var missing = new List<string>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                parts.Add((text[position..], null));
                break;
            }

            var name = text[(open + 1)..close].Trim();
            var value = Resolve(name);
            if (value is null)
            {
                missing.Add(name);
            }

            parts.Add((text[position..open], value));
            position = close + 1;
        }

        unknown = missing;
        return new Template([.. parts], text);
    }

    /// <summary>Fills the placeholders in.</summary>
    public string Render(in TemplateValues values)
    {
        if (_parts.Length == 1 && _parts[0].Value is null)
        {
            return _parts[0].Literal;
        }

        // Written on the stack (a longer text in a pooled buffer): only the finished string is allocated.
        var text = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(Text.Length, 0, null, stackalloc char[512]);
        foreach (var (literal, value) in _parts)
        {
            text.AppendLiteral(literal);
            if (value is not null)
            {
                text.AppendFormatted(Words.Describe(value(values)));
            }
        }

        return text.ToStringAndClear();
    }

    private static Func<TemplateValues, object?>? Resolve(string name)
    {
        if (RuleValues.TryGetValue(name, out var ruleValue))
        {
            return ruleValue;
        }

        var path = name.Split('.');
        var (root, type) = path[0].ToLowerInvariant() switch
        {
            "audit" => ((Func<TemplateValues, object?>)(v => v.Audit), typeof(AuditFacts)),
            "grading" => (v => v.Grading, typeof(GradingProgress)),
            _ => ((Func<TemplateValues, object?>?)null, typeof(object)),
        };
        if (root is null || path.Length < 2)
        {
            return null;
        }

        var getters = new List<PropertyInfo>();
        foreach (var member in path[1..])
        {
            var property = type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            getters.Add(property);
            type = property.PropertyType;
        }

        return v => getters.Aggregate(root(v), (target, property) => target is null ? null : property.GetValue(target));
    }
}
