using System.Text.Json;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Text;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>Reads one rule's policy from its JSON <c>Properties</c>, reporting every mistake in words its author can act on.</summary>
internal static class RuleDefinitionReader
{
    /// <summary>The one action grading uses: a value computed when the rule fires.</summary>
    public const string OutputAction = "OutputExpression";

    private static readonly Dictionary<RuleEffect, string[]> AllowedProperties = new()
    {
        [RuleEffect.Base] = ["effect", "title", "explanation", "guidance"],
        [RuleEffect.Limit] = ["effect", "title", "explanation", "guidance", "limit", "kind"],
        [RuleEffect.Override] = ["effect", "title", "explanation", "guidance", "relaxBy"],
        [RuleEffect.Finding] = ["effect", "title", "explanation", "guidance", "severity", "message"],
    };

    /// <summary>The rule's definition, or null after adding its problems.</summary>
    public static RuleDefinition? Read(ProblemSite site, string workflow, Rule rule)
    {
        var count = site.Problems.Count;
        if (string.IsNullOrWhiteSpace(rule.Expression))
        {
            site.Add("the rule needs an \"Expression\", the condition under which it fires.", "Expression");
        }

        RefuseUnusedFeatures(site, rule);
        var properties = rule.Properties ?? [];
        var effectText = Text(properties, "effect");
        if (!TryParseName(effectText, out RuleEffect effect))
        {
            site.Add($"\"Properties\".\"effect\" must be one of \"base\", \"limit\", \"override\" or \"finding\"{Was(effectText)}.", "effect");
            return null;
        }

        foreach (var key in properties.Keys.Where(k => !AllowedProperties[effect].Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            var nearest = NearestWord.Find(key, AllowedProperties[effect].Where(p => !properties.ContainsKey(p)));
            site.Add($"\"Properties\" has \"{key}\", which a {effectText} rule does not use{(nearest is null ? "" : $"; did you mean \"{nearest}\"?")} It may use: {string.Join(", ", AllowedProperties[effect])}.", key);
        }

        var hasOutput = OutputExpression(rule) is not null;
        var guidance = Text(properties, "guidance");
        if (string.IsNullOrWhiteSpace(guidance))
        {
            site.Add($"\"Properties\".\"guidance\" must say where in the guidance the rule comes from.", "guidance");
        }

        var title = Text(properties, "title");
        if (title is not null && (string.IsNullOrWhiteSpace(title) || title.Length > 200 || title.Contains('{')))
        {
            site.Add($"\"Properties\".\"title\" is a short name for what the rule checks, in plain words (at most 200 characters, no placeholders), e.g. \"An advocate was required but not provided\".", "title");
        }

        var explanation = ReadTemplate(site, properties, "explanation");
        var (kind, limit, relaxBy, severity, message) = (LimitKind.None, Grade.Unspecified, 0, Severity.Unspecified, Template.Empty);
        switch (effect)
        {
            case RuleEffect.Base when !hasOutput:
                site.Add($"a base rule needs an \"Actions\".\"OnSuccess\" \"{OutputAction}\" whose expression gives the base grade's rank (1 Outstanding to 4 Inadequate), e.g. \"audit.MedianRank\".");
                break;
            case RuleEffect.Limit:
                (kind, limit) = ReadLimit(site, properties, hasOutput);
                break;
            case RuleEffect.Override:
                relaxBy = properties.TryGetValue("relaxBy", out var relax) && relax is JsonElement { ValueKind: JsonValueKind.Number } number
                    && number.TryGetInt32(out var grades) ? grades : -1;
                if (relaxBy is < 1 or > 3)
                {
                    site.Add($"\"Properties\".\"relaxBy\" must be how many grades the override relaxes each soft limit by: 1, 2 or 3.", "relaxBy");
                }

                break;
            case RuleEffect.Finding:
                var severityText = Text(properties, "severity");
                if (!TryParseName(severityText, out severity) || severity == Severity.Unspecified)
                {
                    site.Add($"\"Properties\".\"severity\" must be \"ERROR\", \"WARNING\" or \"INFO\"{Was(severityText)}.", "severity");
                }

                message = ReadTemplate(site, properties, "message");
                break;
        }

        return site.Problems.Count > count
            ? null
            : new RuleDefinition(workflow, rule.RuleName, effect, kind, limit, relaxBy, severity, message, explanation, guidance!) { Title = title };
    }

    /// <summary>The rule's output expression, if it has an OutputExpression action.</summary>
    public static string? OutputExpression(Rule rule) =>
        rule.Actions?.OnSuccess is { Name: OutputAction, Context: { } context } ? Text(context, "expression") : null;

    /// <summary>A property's text, whatever JSON type it was written as.</summary>
    public static string? Text(IDictionary<string, object> properties, string key)
    {
        var pair = properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
        return pair.Value switch
        {
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement e => RuleJson.Text(e),
            null => null,
            var other => other.ToString(),
        };
    }

    private static (LimitKind, Grade) ReadLimit(ProblemSite site, Dictionary<string, object> properties, bool hasOutput)
    {
        var kindText = Text(properties, "kind");
        if (!TryParseName(kindText, out LimitKind kind) || kind == LimitKind.None)
        {
            site.Add($"\"Properties\".\"kind\" must be \"hard\" (never relaxed) or \"soft\" (relaxed by an override){Was(kindText)}.", "kind");
        }

        var limitText = Text(properties, "limit");
        var limit = Grade.Unspecified;
        if (limitText is not null && hasOutput)
        {
            site.Add($"give the limit either as \"Properties\".\"limit\" or as an output expression, not both.", "limit");
        }
        else if (limitText is not null && !Words.TryParseGrade(limitText, out limit))
        {
            site.Add($"\"Properties\".\"limit\" must be a grade: \"Outstanding\", \"Good\", \"Requires improvement\" or \"Inadequate\"{Was(limitText)}.", "limit");
        }
        else if (limitText is null && !hasOutput)
        {
            site.Add($"a limit rule needs \"Properties\".\"limit\", the best grade the audit may have when the rule fires (or an output expression giving its rank).", "limit");
        }

        return (kind, limit);
    }

    // Grading evaluates each rule's own condition and output in file order; RulesEngine's other
    // features would be silently ignored, so a rule that uses them is refused.
    private static void RefuseUnusedFeatures(ProblemSite site, Rule rule)
    {
        if (rule.Actions?.OnSuccess is { } action && (action.Name != OutputAction || OutputExpression(rule) is null))
        {
            site.Add($"its \"Actions\".\"OnSuccess\" must be an \"{OutputAction}\" with a \"Context\".\"Expression\".");
        }

        if (rule.Actions?.OnFailure is not null)
        {
            site.Add($"\"Actions\".\"OnFailure\" is not used by grading; remove it.");
        }

        if (rule.Rules?.Any() == true || !string.IsNullOrEmpty(rule.Operator))
        {
            site.Add($"nested \"Rules\" and \"Operator\" are not used by grading; write one condition in \"Expression\" instead.");
        }

        if (rule.LocalParams?.Any() == true || rule.WorkflowsToInject?.Any() == true)
        {
            site.Add($"\"LocalParams\" and \"WorkflowsToInject\" are not used by grading; write the condition in full in \"Expression\".");
        }

        if (rule.RuleExpressionType != RuleExpressionType.LambdaExpression)
        {
            site.Add($"\"RuleExpressionType\" must be \"LambdaExpression\" (or left out).");
        }
    }

    private static Template ReadTemplate(ProblemSite site, Dictionary<string, object> properties, string key)
    {
        var text = Text(properties, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            site.Add($"\"Properties\".\"{key}\" is missing: write what the rule means, in plain English.", key);
            return Template.Empty;
        }

        var template = Template.Parse(text, out var unknown);
        foreach (var name in unknown)
        {
            site.Add($"the {key} mentions {{{name}}}, which is not a value the service knows. Check its spelling against the list in rules/README.md.", key);
        }

        return template;
    }

    private static bool TryParseName<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && !int.TryParse(text, out _);

    private static string Was(string? text) => text is null ? "" : $", not \"{text}\"";
}
