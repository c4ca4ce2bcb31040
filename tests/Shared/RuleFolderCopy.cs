using System.Text.Json.Nodes;
namespace CroydonAudit.Testing;

/// <summary>A scratch copy of the real rules folder, for editing as a rule author would. Linked into each test project.</summary>
public sealed class RuleFolderCopy : IDisposable
{
    public RuleFolderCopy()
    {
        Path = Directory.CreateTempSubdirectory("croydon-rules-").FullName;
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Rules, "*.json"))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    public void Write(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

    /// <summary>Edits one rule of a workflow file, by name.</summary>
    public void EditRule(string file, string ruleName, Action<JsonObject> edit)
    {
        var path = System.IO.Path.Combine(Path, file);
        var workflow = JsonNode.Parse(File.ReadAllText(path))!;
        edit(workflow["Rules"]!.AsArray().Single(r => (string?)r!["RuleName"] == ruleName)!.AsObject());
        File.WriteAllText(path, workflow.ToJsonString());
    }

    public void AddRule(string file, string json)
    {
        var path = System.IO.Path.Combine(Path, file);
        var workflow = JsonNode.Parse(File.ReadAllText(path))!;
        workflow["Rules"]!.AsArray().Add(JsonNode.Parse(json));
        File.WriteAllText(path, workflow.ToJsonString());
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
