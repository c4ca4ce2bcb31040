using System.Text.Json;
using System.Text.Json.Nodes;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Rule and worked-case files are JSON as people write it: comments (<c>//</c> and <c>/* */</c>) and trailing commas
/// are allowed, as VS Code reads JSONC. A file that is not JSON even so is described in one line: where (line and
/// column) and what is wrong, never an exception's text.
/// </summary>
public static class RuleJson
{
    /// <summary>How every rule file is read.</summary>
    public static JsonDocumentOptions Document { get; } = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    /// <summary>A file's JSON, or null after adding the one-line problem that says where it is not JSON.</summary>
    public static JsonNode? TryParse(string file, byte[] bytes, List<RuleSetProblem> problems)
    {
        try
        {
            return JsonNode.Parse(bytes, documentOptions: Document) ?? throw new JsonException("the file holds only null.");
        }
        catch (JsonException e)
        {
            problems.Add(new RuleSetProblem(file, null, null, Mistake(e)));
            return null;
        }
    }

    /// <summary>A JSON value as plain JSON, whatever comments surrounded it in its file.</summary>
    public static string Text(JsonElement element) => JsonSerializer.Serialize(element);

    /// <summary>What is wrong with a file that is not JSON, in one line with its line and column (both from 1).</summary>
    public static string Mistake(JsonException e)
    {
        var at = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
        return $"is not valid JSON{at}: {Reason(e)}";
    }

    // The reader's words for the commonest slips, said as a person would; else its own words, less the position and
    // path it appends (said above, in words).
    private static readonly (string Says, string Means)[] Slips =
    [
        ("Expected depth to be zero", "the file ends before every \"{\" and \"[\" is closed: a closing bracket is missing."),
        ("is invalid without a matching open", "there is a closing bracket with no opening one: one is extra, or its opening \"{\" or \"[\" is missing."),
        ("is an invalid start of a property name", "a property's name must be in double quotes, e.g. \"limit\"."),
        ("After parsing a value an unexpected character was encountered", "a comma is missing between two items, or a quote is not closed."),
        ("is an invalid start of a value", "a value is missing, or a text is not in double quotes."),
        ("is invalid after a value", "a comma is missing between two items."),
        ("Expected end of string", "a text is not closed with a double quote before the line ends."),
    ];

    private static string Reason(JsonException e)
    {
        if (Slips.FirstOrDefault(s => e.Message.Contains(s.Says, StringComparison.Ordinal)) is { Means: { } means })
        {
            return means;
        }

        var reason = e.Message;
        foreach (var tail in new[] { " LineNumber:", " Path:", " | " })
        {
            var cut = reason.IndexOf(tail, StringComparison.Ordinal);
            reason = cut > 0 ? reason[..cut] : reason;
        }

        reason = reason.Trim().TrimEnd('.');
        return reason.Length > 200 ? reason[..200] + "…" : reason + ".";
    }
}
