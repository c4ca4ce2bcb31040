using System.Text.Json.Nodes;
using CroydonAudit.Testing;

namespace CroydonAudit.Benchmarks;

/// <summary>The repository's rules folder, and generated copies with every rule repeated, to show how cost grows with rule count.</summary>
public static class RuleFolders
{
    public static string Default => RepositoryRoot.Rules;

    /// <summary>A copy of the rules with each rule <paramref name="times"/> times (renamed copies), in a temporary folder.</summary>
    public static string Multiplied(int times)
    {
        if (times == 1)
        {
            return Default;
        }

        var folder = Directory.CreateTempSubdirectory($"croydon-rules-x{times}-").FullName;
        File.Copy(Path.Combine(Default, "ruleset.json"), Path.Combine(folder, "ruleset.json"));
        foreach (var file in new[] { "base.json", "limits.json", "findings.json" })
        {
            var workflow = JsonNode.Parse(File.ReadAllText(Path.Combine(Default, file)))!;
            var rules = workflow["Rules"]!.AsArray();
            var copies = new JsonArray();
            for (var copy = 0; copy < times; copy++)
            {
                foreach (var rule in rules)
                {
                    var clone = rule!.DeepClone();
                    if (copy > 0)
                    {
                        clone["RuleName"] = $"{rule["RuleName"]}.copy{copy}";
                    }

                    copies.Add(clone);
                }
            }

            workflow["Rules"] = copies;
            File.WriteAllText(Path.Combine(folder, file), workflow.ToJsonString());
        }

        return folder;
    }
}
