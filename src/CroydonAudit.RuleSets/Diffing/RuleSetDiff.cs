using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.RuleSets.Diffing;

/// <summary>
/// What changed from one rule set to another, rule by rule, in words: rules added and removed, switched on
/// or off, moved, a condition or output changed, a limit's grade or kind, a finding's severity, wording and
/// guidance; for the set as a whole its label, workflows and bland-text parameters; and the template's sections,
/// questions and options. Reads the JSON as written, so it compares rule sets that do not load yet too.
/// </summary>
public static class RuleSetDiff
{
    private static readonly string[] Compared = ["effect", "limit", "kind", "relaxBy", "severity", "explanation", "message", "guidance"];

    /// <summary>Every change, the rule set's own first, then rules in the new set's order, then removed rules.</summary>
    public static IReadOnlyList<RuleChange> Compare(RuleSetFiles from, RuleSetFiles to)
    {
        var (before, after) = (Read(from), Read(to));
        var changes = new List<RuleChange>();
        var manifest = new List<string>();
        Describe(manifest, "label", before.Label, after.Label);
        Describe(manifest, "description", before.Description, after.Description, wording: true);
        Describe(manifest, "workflow order", string.Join(", ", before.Workflows), string.Join(", ", after.Workflows));
        Describe(manifest, "bland text: fewer words than", before.MinimumWords, after.MinimumWords);
        foreach (var phrase in after.Phrases.Except(before.Phrases))
        {
            manifest.Add($"bland phrase added: \"{phrase}\"");
        }

        foreach (var phrase in before.Phrases.Except(after.Phrases))
        {
            manifest.Add($"bland phrase removed: \"{phrase}\"");
        }

        if (manifest.Count > 0)
        {
            changes.Add(new RuleChange(null, RuleSetLoader.ManifestFile, manifest));
        }

        if (TemplateChanges(Parse(from[Grading.Templates.TemplateReader.File]), Parse(to[Grading.Templates.TemplateReader.File])) is { Count: > 0 } template)
        {
            changes.Add(new RuleChange(null, Grading.Templates.TemplateReader.File, template));
        }

        foreach (var (id, rule) in after.Rules)
        {
            if (!before.Rules.TryGetValue(id, out var old))
            {
                changes.Add(new RuleChange(id, rule.File, [$"added ({Summary(rule)})"]));
                continue;
            }

            var ruleChanges = new List<string>();
            Describe(ruleChanges, "file", old.File, rule.File);
            Describe(ruleChanges, "position in its workflow", old.Position + 1, rule.Position + 1);
            if (old.Enabled != rule.Enabled)
            {
                ruleChanges.Add(rule.Enabled ? "switched on" : "switched off");
            }

            Describe(ruleChanges, "condition", old.Expression, rule.Expression, code: true);
            Describe(ruleChanges, "output", old.Output, rule.Output, code: true);
            foreach (var property in Compared)
            {
                Describe(ruleChanges, property, old.Properties.GetValueOrDefault(property), rule.Properties.GetValueOrDefault(property), wording: property is "explanation" or "message");
            }

            if (ruleChanges.Count > 0)
            {
                changes.Add(new RuleChange(id, rule.File, ruleChanges));
            }
        }

        changes.AddRange(before.Rules.Where(r => !after.Rules.ContainsKey(r.Key)).Select(r => new RuleChange(r.Key, r.Value.File, ["removed"])));
        return changes;
    }

    /// <summary>The changes as <c>./run.sh rules diff</c> prints them.</summary>
    public static string ToText(IReadOnlyList<RuleChange> changes, string from, string to)
    {
        var text = new StringBuilder($"Changes from {from} to {to}:").AppendLine();
        if (changes.Count == 0)
        {
            return text.AppendLine("  none: the two rule sets are the same.").ToString();
        }

        foreach (var change in changes)
        {
            text.AppendLine(change.RuleId is not null ? $"  {change.RuleId} ({change.File}):"
                : change.File == Grading.Templates.TemplateReader.File ? $"  The audit template ({change.File}):"
                : $"  The rule set ({change.File}):");
            foreach (var line in change.Changes)
            {
                text.AppendLine($"    - {line}");
            }
        }

        return text.ToString();
    }

    private static void Describe<T>(List<string> changes, string what, T? before, T? after, bool code = false, bool wording = false)
    {
        var (old, now) = (before?.ToString() ?? "", after?.ToString() ?? "");
        if (old == now)
        {
            return;
        }

        changes.Add((old, now) switch
        {
            ("", _) => $"{what} added: {Quote(now, code)}",
            (_, "") => $"{what} removed (was {Quote(old, code)})",
            _ when wording => $"{what} reworded: {Quote(old, code)} → {Quote(now, code)}",
            _ when code => $"{what} changed: {Quote(old, code)} → {Quote(now, code)}",
            _ => $"{what} {old} → {now}",
        });
    }

    private static string Quote(string text, bool code) => code ? $"`{text}`" : $"\"{text}\"";

    // The template's sections, questions and options, compared by id.
    private static List<string> TemplateChanges(JsonNode? before, JsonNode? after)
    {
        var changes = new List<string>();
        Describe(changes, "template label", before?["label"]?.ToString(), after?["label"]?.ToString(), wording: true);
        var (oldSections, newSections) = (Items(before?["sections"]), Items(after?["sections"]));
        foreach (var (id, section) in newSections)
        {
            if (!oldSections.TryGetValue(id, out var old))
            {
                changes.Add($"section added: \"{section["title"]}\" ({id})");
                continue;
            }

            Describe(changes, $"section {id} title", old["title"]?.ToString(), section["title"]?.ToString(), wording: true);
        }

        changes.AddRange(oldSections.Keys.Except(newSections.Keys).Select(id => $"section removed: {id}"));
        var (oldQuestions, newQuestions) = (Questions(oldSections.Values), Questions(newSections.Values));
        foreach (var (id, question) in newQuestions)
        {
            if (!oldQuestions.TryGetValue(id, out var old))
            {
                var options = Items(question["options"]).Keys.ToList();
                changes.Add($"question added: {id}, \"{question["text"]}\" ({question["kind"]}{(options.Count > 0 ? $": {string.Join(", ", options)}" : "")})");
                continue;
            }

            foreach (var property in new[] { "text", "help", "label" })
            {
                Describe(changes, $"question {id} {property}", old[property]?.ToString(), question[property]?.ToString(), wording: true);
            }

            foreach (var property in new[] { "kind", "required", "informational" })
            {
                Describe(changes, $"question {id} {property}", old[property]?.ToString() ?? "", question[property]?.ToString() ?? "");
            }

            var (oldOptions, newOptions) = (Items(old["options"]), Items(question["options"]));
            changes.AddRange(newOptions.Keys.Except(oldOptions.Keys).Select(o => $"question {id}: option added: {o}, \"{newOptions[o]["words"]}\""));
            changes.AddRange(oldOptions.Keys.Except(newOptions.Keys).Select(o => $"question {id}: option removed: {o}"));
            foreach (var option in newOptions.Keys.Intersect(oldOptions.Keys))
            {
                Describe(changes, $"question {id}, option {option}, words", oldOptions[option]["words"]?.ToString(), newOptions[option]["words"]?.ToString(), wording: true);
                Describe(changes, $"question {id}, option {option}, level", oldOptions[option]["level"]?.ToString() ?? "none", newOptions[option]["level"]?.ToString() ?? "none");
            }
        }

        changes.AddRange(oldQuestions.Keys.Except(newQuestions.Keys).Select(id => $"question removed: {id}"));
        return changes;

        static Dictionary<string, JsonNode> Questions(IEnumerable<JsonNode> sections) =>
            sections.SelectMany(s => Items(s["questions"])).GroupBy(q => q.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
    }

    // A JSON list of objects with ids, by id, in order.
    private static Dictionary<string, JsonNode> Items(JsonNode? list) =>
        (list as JsonArray ?? []).OfType<JsonObject>().Where(o => o["id"] is not null).GroupBy(o => o["id"]!.ToString())
            .ToDictionary(g => g.Key, g => (JsonNode)g.First(), StringComparer.Ordinal);

    private static string Summary(Rule rule) =>
        string.Join(", ", new[] { rule.Properties.GetValueOrDefault("effect"), rule.Properties.GetValueOrDefault("kind"), rule.Properties.GetValueOrDefault("limit"), rule.Properties.GetValueOrDefault("severity") }.OfType<string>())
        + $"; condition `{rule.Expression}`";

    private static Set Read(RuleSetFiles files)
    {
        var manifest = Parse(files[RuleSetLoader.ManifestFile]);
        var workflows = (manifest?["workflows"] as JsonArray)?.Select(w => w?.ToString() ?? "").ToList() ?? [];
        var rules = new Dictionary<string, Rule>(StringComparer.Ordinal);
        foreach (var file in workflows)
        {
            var position = 0;
            foreach (var rule in (Parse(files[file])?["Rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = rule["RuleName"]?.ToString() ?? $"(unnamed rule {position + 1} in {file})";
                var properties = (rule["Properties"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase);
                rules.TryAdd(id, new Rule(file, position++, rule["Enabled"]?.GetValue<bool>() ?? true, rule["Expression"]?.ToString() ?? "",
                    rule["Actions"]?["OnSuccess"]?["Context"]?["Expression"]?.ToString() ?? "", properties));
            }
        }

        var bland = manifest?["blandText"];
        return new Set(
            manifest?["label"]?.ToString() ?? "", manifest?["description"]?.ToString() ?? "", workflows,
            bland?["minimumWords"]?.ToString() ?? "", (bland?["phrases"] as JsonArray)?.Select(p => p?.ToString() ?? "").ToList() ?? [], rules);
    }

    private static JsonNode? Parse(byte[]? bytes)
    {
        try
        {
            return bytes is null ? null : JsonNode.Parse(bytes, documentOptions: RuleJson.Document);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Set(string Label, string Description, IReadOnlyList<string> Workflows, string MinimumWords, IReadOnlyList<string> Phrases, IReadOnlyDictionary<string, Rule> Rules);

    private sealed record Rule(string File, int Position, bool Enabled, string Expression, string Output, IReadOnlyDictionary<string, string> Properties);
}
