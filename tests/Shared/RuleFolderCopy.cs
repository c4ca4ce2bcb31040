using System.Text.Json.Nodes;
namespace CroydonAudit.Testing;

/// <summary>
/// A scratch copy of a rules folder (by default the tests' fixture rules), worked cases included, for
/// editing as a rule author would. Linked into each test project.
/// </summary>
public sealed class RuleFolderCopy : IDisposable
{
    public RuleFolderCopy(string? source = null)
    {
        source ??= RepositoryRoot.FixtureRules;
        Path = Directory.CreateTempSubdirectory("croydon-rules-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "tests"));
        foreach (var file in Directory.EnumerateFiles(source, "*.json").Concat(Directory.EnumerateFiles(System.IO.Path.Combine(source, "tests"), "*.json")))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(source, file)));
        }
    }

    public string Path { get; }

    public void Write(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

    public void Delete(string file) => File.Delete(System.IO.Path.Combine(Path, file));

    /// <summary>Edits a JSON file of the copy: a workflow, the manifest or a worked case.</summary>
    public void Edit(string file, Action<JsonNode> edit)
    {
        var path = System.IO.Path.Combine(Path, file);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Edits one rule of a workflow file, by name.</summary>
    public void EditRule(string file, string ruleName, Action<JsonObject> edit) =>
        Edit(file, workflow => edit(workflow["Rules"]!.AsArray().Single(r => (string?)r!["RuleName"] == ruleName)!.AsObject()));

    /// <summary>
    /// Rewrites a file as people write JSON by hand: a line comment and a block comment at the top, and a comma after
    /// the last item of every object and array.
    /// </summary>
    public void WriteAsPeopleDo(string file)
    {
        var path = System.IO.Path.Combine(Path, file);
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"([^\s,\[{])(\s*\n\s*[}\]])", "$1,$2");
        var open = text.IndexOf('{', StringComparison.Ordinal) + 1;
        File.WriteAllText(path, text[..open] + "\n  // Edited by hand.\n  /* A trailing comma\n     is fine too. */" + text[open..]);
    }

    public void AddRule(string file, string json) => Edit(file, workflow => workflow["Rules"]!.AsArray().Add(JsonNode.Parse(json)));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
