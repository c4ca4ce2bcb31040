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
        [RuleEffect.Base] = ["effect", "explanation", "guidance"],
        [RuleEffect.Limit] = ["effect", "explanation", "guidance", "limit", "kind"],
        [RuleEffect.Override] = ["effect", "explanation", "guidance", "relaxBy"],
        [RuleEffect.Finding] = ["effect", "explanation", "guidance", "severity", "message"],
    };

    /// <summary>The rule's definition, or null after adding its problems.</summary>
    public static RuleDefinition? Read(string fileName, string workflow, Rule rule, List<string> problems)
    {
        var where = $"{fileName}, rule \"{rule.RuleName}\"";
        var count = problems.Count;
        if (string.IsNullOrWhiteSpace(rule.Expression))
        {
            problems.Add($"{where}: the rule needs an \"Expression\", the condition under which it fires.");
        }

        RefuseUnusedFeatures(where, rule, problems);
        var properties = rule.Properties ?? [];
        var effectText = Text(properties, "effect");
        if (!TryParseName(effectText, out RuleEffect effect))
        {
            problems.Add($"{where}: \"Properties\".\"effect\" must be one of \"base\", \"limit\", \"override\" or \"finding\"{Was(effectText)}.");
            return null;
        }

        foreach (var key in properties.Keys.Where(k => !AllowedProperties[effect].Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{where}: \"Properties\" has \"{key}\", which a {effectText} rule does not use. It may use: {string.Join(", ", AllowedProperties[effect])}.");
        }

        var hasOutput = OutputExpression(rule) is not null;
        var guidance = Text(properties, "guidance");
        if (string.IsNullOrWhiteSpace(guidance))
        {
            problems.Add($"{where}: \"Properties\".\"guidance\" must say where in the guidance the rule comes from.");
        }

        var explanation = ReadTemplate(where, properties, "explanation", problems);
        var (kind, limit, relaxBy, severity, message) = (LimitKind.None, Grade.Unspecified, 0, Severity.Unspecified, Template.Empty);
        switch (effect)
        {
            case RuleEffect.Base when !hasOutput:
                problems.Add($"{where}: a base rule needs an \"Actions\".\"OnSuccess\" \"{OutputAction}\" whose expression gives the base grade's rank (1 Outstanding to 4 Inadequate), e.g. \"audit.MedianRank\".");
                break;
            case RuleEffect.Limit:
                (kind, limit) = ReadLimit(where, properties, hasOutput, problems);
                break;
            case RuleEffect.Override:
                relaxBy = properties.TryGetValue("relaxBy", out var relax) && relax is JsonElement { ValueKind: JsonValueKind.Number } number
                    && number.TryGetInt32(out var grades) ? grades : -1;
                if (relaxBy is < 1 or > 3)
                {
                    problems.Add($"{where}: \"Properties\".\"relaxBy\" must be how many grades the override relaxes each soft limit by: 1, 2 or 3.");
                }

                break;
            case RuleEffect.Finding:
                var severityText = Text(properties, "severity");
                if (!TryParseName(severityText, out severity) || severity == Severity.Unspecified)
                {
                    problems.Add($"{where}: \"Properties\".\"severity\" must be \"ERROR\", \"WARNING\" or \"INFO\"{Was(severityText)}.");
                }

                message = ReadTemplate(where, properties, "message", problems);
                break;
        }

        return problems.Count > count
            ? null
            : new RuleDefinition(workflow, rule.RuleName, effect, kind, limit, relaxBy, severity, message, explanation, guidance!);
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
            JsonElement e => e.GetRawText(),
            null => null,
            var other => other.ToString(),
        };
    }

    private static (LimitKind, Grade) ReadLimit(string where, Dictionary<string, object> properties, bool hasOutput, List<string> problems)
    {
        var kindText = Text(properties, "kind");
        if (!TryParseName(kindText, out LimitKind kind) || kind == LimitKind.None)
        {
            problems.Add($"{where}: \"Properties\".\"kind\" must be \"hard\" (never relaxed) or \"soft\" (relaxed by an override){Was(kindText)}.");
        }

        var limitText = Text(properties, "limit");
        var limit = Grade.Unspecified;
        if (limitText is not null && hasOutput)
        {
            problems.Add($"{where}: give the limit either as \"Properties\".\"limit\" or as an output expression, not both.");
        }
        else if (limitText is not null && !Words.TryParseGrade(limitText, out limit))
        {
            problems.Add($"{where}: \"Properties\".\"limit\" must be a grade: \"Outstanding\", \"Good\", \"Requires improvement\" or \"Inadequate\"{Was(limitText)}.");
        }
        else if (limitText is null && !hasOutput)
        {
            problems.Add($"{where}: a limit rule needs \"Properties\".\"limit\", the best grade the audit may have when the rule fires (or an output expression giving its rank).");
        }

        return (kind, limit);
    }

    // Grading evaluates each rule's own condition and output in file order; RulesEngine's other
    // features would be silently ignored, so a rule that uses them is refused.
    private static void RefuseUnusedFeatures(string where, Rule rule, List<string> problems)
    {
        if (rule.Actions?.OnSuccess is { } action && (action.Name != OutputAction || OutputExpression(rule) is null))
        {
            problems.Add($"{where}: its \"Actions\".\"OnSuccess\" must be an \"{OutputAction}\" with a \"Context\".\"Expression\".");
        }

        if (rule.Actions?.OnFailure is not null)
        {
            problems.Add($"{where}: \"Actions\".\"OnFailure\" is not used by grading; remove it.");
        }

        if (rule.Rules?.Any() == true || !string.IsNullOrEmpty(rule.Operator))
        {
            problems.Add($"{where}: nested \"Rules\" and \"Operator\" are not used by grading; write one condition in \"Expression\" instead.");
        }

        if (rule.LocalParams?.Any() == true || rule.WorkflowsToInject?.Any() == true)
        {
            problems.Add($"{where}: \"LocalParams\" and \"WorkflowsToInject\" are not used by grading; write the condition in full in \"Expression\".");
        }

        if (rule.RuleExpressionType != RuleExpressionType.LambdaExpression)
        {
            problems.Add($"{where}: \"RuleExpressionType\" must be \"LambdaExpression\" (or left out).");
        }
    }

    private static Template ReadTemplate(string where, Dictionary<string, object> properties, string key, List<string> problems)
    {
        var text = Text(properties, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{where}: \"Properties\".\"{key}\" is missing: write what the rule means, in plain English.");
            return Template.Empty;
        }

        var template = Template.Parse(text, out var unknown);
        foreach (var name in unknown)
        {
            problems.Add($"{where}: the {key} mentions {{{name}}}, which is not a value the service knows. Check its spelling against the list in rules/README.md.");
        }

        return template;
    }

    private static bool TryParseName<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && !int.TryParse(text, out _);

    private static string Was(string? text) => text is null ? "" : $", not \"{text}\"";
}
