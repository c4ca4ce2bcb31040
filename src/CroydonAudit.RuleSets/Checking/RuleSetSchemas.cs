using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
using Json.Schema;

namespace CroydonAudit.RuleSets.Checking;

/// <summary>
/// Checks each rule file against its JSON Schema (<c>rules/schema/</c>, the same files editors use) and
/// says what is wrong in words, at the file, rule and property it concerns.
/// </summary>
internal static partial class RuleSetSchemas
{
    private static readonly Schema Manifest = Load("ruleset.schema.json");
    private static readonly Schema Workflow = Load("workflow.schema.json");
    private static readonly Schema WorkedCase = Load("worked-case.schema.json");
    private static readonly Schema Template = Load("template.schema.json");
    private static readonly Schema Base = Load("audit-base.schema.json");

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    /// <summary>Adds a problem for each way a file departs from its schema. Files that are not JSON are left to the loader, which says where.</summary>
    public static void Check(RuleSetFiles files, List<RuleSetProblem> problems)
    {
        foreach (var (path, bytes) in files.Files)
        {
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(bytes, RuleJson.Document);
            }
            catch (JsonException)
            {
                continue;
            }

            using var owner = parsed;
            var document = JsonNode.Parse(bytes, documentOptions: RuleJson.Document);
            var schema = path == RuleSetLoader.ManifestFile ? Manifest : path == Grading.Templates.TemplateReader.File ? Template
                : RuleSetFiles.IsBase(path) ? Base : RuleSetFiles.IsWorkedCase(path) ? WorkedCase : Workflow;
            var results = schema.Json.Evaluate(parsed.RootElement, Options);
            if (results.IsValid)
            {
                continue;
            }

            // An "if" that does not match is how a schema chooses, not an error: only what failed outside one is reported.
            var found = new List<RuleSetProblem>();
            foreach (var detail in (results.Details ?? []).Append(results).Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal)))
            {
                foreach (var (keyword, message) in detail.Errors!)
                {
                    found.Add(Describe(path, schema, document, detail.InstanceLocation.ToString(), detail.EvaluationPath.ToString(), keyword, message.Replace("\\u0022", "\"", StringComparison.Ordinal)));
                }
            }

            // A misspelt property also shows as the right one missing: the "did you mean" says both, so only it is kept.
            problems.AddRange(found.Where(p => !found.Any(o => o != p && o.File == p.File && o.Rule == p.Rule
                && p.Message.Contains("needs", StringComparison.Ordinal) && o.Message.Contains($"did you mean \"{p.Property}\"", StringComparison.Ordinal))));
        }
    }

    private static RuleSetProblem Describe(string path, Schema schema, JsonNode? document, string pointer, string evaluationPath, string keyword, string message)
    {
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        string? rule = null;
        if (schema == Workflow && segments is ["Rules", var index, ..] && int.TryParse(index, out var i))
        {
            rule = (document?["Rules"] as JsonArray)?.ElementAtOrDefault(i)?["RuleName"]?.GetValue<string>() ?? $"number {i + 1}";
        }

        var value = Value(document, segments);
        var extra = keyword is "additionalProperties" or "propertyNames" or "" || evaluationPath.Contains("/propertyNames", StringComparison.Ordinal);
        var within = schema == WorkedCase || rule is null ? segments : segments[2..];
        var where = Where(extra ? within[..^1] : within);
        var property = segments.LastOrDefault(s => !int.TryParse(s, out _)) switch
        {
            _ when keyword == "required" => Quoted().Match(message).Value.Trim('"'),
            "Expression" when segments.Contains("Actions") => "OutputExpression",
            var last => last,
        };
        var text = keyword switch
        {
            "required" => $"{where}needs {Words(Quoted().Matches(message).Select(m => m.Value))}.",
            _ when extra => $"{where}has {Name(segments)}, which does not belong there{DidYouMean(schema, segments.LastOrDefault())}",
            "enum" or "const" => $"{where}cannot be {value}{AllowedValues(schema, evaluationPath, value)}",
            "type" => $"{where}must be {TypeWords(message)}, not {value}.",
            "minLength" => $"{where}must not be empty.",
            _ => $"{where}{message.TrimEnd('.').ToLowerInvariant()} ({value}).",
        };
        return new RuleSetProblem(path, rule, property, text);
    }

    private static string Where(string[] segments) => segments.Length == 0 ? "" : $"\"{string.Join('.', segments.Select(s => int.TryParse(s, out var n) ? $"[{n}]" : s)).Replace(".[", "[")}\" ";

    private static string Name(string[] segments) => segments.Length == 0 ? "a property" : $"\"{segments[^1]}\"";

    private static string Value(JsonNode? document, string[] segments)
    {
        var node = document;
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        var text = node?.ToJsonString() ?? "empty";
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    private static string DidYouMean(Schema schema, string? name) =>
        name is null || NearestWord.Find(name, schema.PropertyNames.Where(k => k != name)) is not { } nearest ? "." : $"; did you mean \"{nearest}\"?";

    // The values the schema allows where it refused one: the node the evaluation path leads to, following $refs.
    private static string AllowedValues(Schema schema, string evaluationPath, string value)
    {
        JsonNode? Follow(JsonNode? node) => node?["$ref"]?.GetValue<string>() is { } reference
            ? reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)schema.Document, (n, s) => n?[s])
            : node;

        var node = (JsonNode?)schema.Document;
        foreach (var segment in evaluationPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            // The evaluation path can name a keyword twice ("items/items"): a segment the node does not have is passed over.
            node = segment == "$ref" ? Follow(node) : node is JsonObject o && o.ContainsKey(segment) ? o[segment] : node;
        }

        node = Follow(node);
        var allowed = (node?["enum"] ?? node?["const"]) switch
        {
            // null, where a difference from a base audit may remove a value, is not one to offer.
            JsonArray values => values.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var text) ? text : null).OfType<string>().ToList(),
            JsonValue single when single.TryGetValue<string>(out var text) => [text],
            _ => [],
        };
        if (allowed.Count == 0)
        {
            return ".";
        }

        var nearest = NearestWord.Find(value.Trim('"'), allowed);
        return $": it must be {Words(allowed.Select(v => $"\"{v}\""), "or")}{(nearest is null ? "." : $". Did you mean \"{nearest}\"?")}";
    }

    private static string TypeWords(string message) => (Quoted().Matches(message).LastOrDefault()?.Value.Trim('"')) switch
    {
        "string" => "text in quotes",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list in [ ]",
        "object" => "an object in { }",
        var other => other ?? "of another kind",
    };

    private static string Words(IEnumerable<string> items, string last = "and")
    {
        var list = items.Distinct().ToList();
        return list.Count <= 1 ? list.FirstOrDefault() ?? "" : $"{string.Join(", ", list.SkipLast(1))} {last} {list[^1]}";
    }

    private static Schema Load(string name)
    {
        using var stream = typeof(RuleSetSchemas).Assembly.GetManifestResourceStream("Schemas." + name)
            ?? throw new InvalidOperationException($"The JSON Schema {name} is not embedded in {typeof(RuleSetSchemas).Assembly.GetName().Name}.");
        var text = new StreamReader(stream).ReadToEnd();
        var document = JsonNode.Parse(text)!;
        return new Schema(JsonSchema.FromText(text), [.. PropertyNames(document).Distinct()], document);
    }

    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject o => (o["properties"] is JsonObject p ? p.Select(x => x.Key) : [])
            .Concat(o["propertyNames"]?["enum"] is JsonArray e ? e.Select(x => x!.GetValue<string>()) : [])
            .Concat(o.SelectMany(x => PropertyNames(x.Value))),
        JsonArray a => a.SelectMany(PropertyNames),
        _ => [],
    };

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    /// <summary>A schema, and every property name it knows (for "did you mean …?").</summary>
    private sealed record Schema(JsonSchema Json, string[] PropertyNames, JsonNode Document);
}
