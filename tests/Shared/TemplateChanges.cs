using System.Text.Json.Nodes;

namespace CroydonAudit.Testing;

/// <summary>
/// A template change as the principal social worker makes it, in rules/ alone: a question added to the tests' own
/// template ("Was a carer's assessment offered?", three options, in family engagement), a limit rule reading it, and
/// two worked cases written as differences from a base audit. Applied to a copy of the fixture rules.
/// </summary>
public static class TemplateChanges
{
    /// <summary>The question's id, and the option the limit reads.</summary>
    public const string Question = "family-engagement.carers-assessment", NotOffered = "not-offered";

    /// <summary>The tests' own template (every contract question, fixture words), without the change.</summary>
    public static void AddFixtureTemplate(RuleFolderCopy copy) =>
        File.Copy(System.IO.Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "template.json"), System.IO.Path.Combine(copy.Path, "template.json"), overwrite: true);

    /// <summary>Adds the template, the question, the limit reading it and its two worked cases.</summary>
    public static void AddCarersAssessment(RuleFolderCopy copy)
    {
        AddFixtureTemplate(copy);
        copy.Edit("template.json", template => template["sections"]!.AsArray()
            .Single(s => (string?)s!["id"] == "family-engagement")!["questions"]!.AsArray()
            .Add(JsonNode.Parse($$"""
                {
                  "id": "{{Question}}",
                  "text": "Was a carer's assessment offered?",
                  "label": "carer's assessment",
                  "kind": "choice",
                  "options": [
                    { "id": "offered", "words": "Offered, and carried out or declined", "level": "good" },
                    { "id": "{{NotOffered}}", "words": "Not offered although there is a carer", "level": "requires-improvement" },
                    { "id": "no-carer", "words": "There is no carer" }
                  ]
                }
                """)));
        copy.Edit("limits.json", workflow =>
        {
            var rules = workflow["Rules"]!.AsArray();
            var before = rules.IndexOf(rules.Single(r => (string?)r!["RuleName"] == "cap.override"));
            rules.Insert(before, JsonNode.Parse($$"""
                {
                  "RuleName": "limit.carers-assessment-not-offered",
                  "Expression": "audit.Answer(\"{{Question}}\").Is(\"{{NotOffered}}\")",
                  "Properties": {
                    "effect": "limit",
                    "limit": "Requires improvement",
                    "kind": "soft",
                    "explanation": "No carer's assessment was offered: at most {limit} (see {guidance}).",
                    "guidance": "Fixture limit, template question"
                  }
                }
                """));
        });

        var good = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(copy.Path, "tests", "complete-good.json")))!;
        Directory.CreateDirectory(System.IO.Path.Combine(copy.Path, "tests", "bases"));
        copy.Write("tests/bases/complete-good.json", new JsonObject { ["description"] = "A complete audit proposed Good.", ["audit"] = good["audit"]!.DeepClone() }.ToJsonString());
        foreach (var (option, grade, fired, limits) in new[]
        {
            (NotOffered, "Requires improvement", """["base.proposed", "limit.carers-assessment-not-offered"]""",
                """{ "limit.carers-assessment-not-offered": { "limit": "Requires improvement", "kind": "soft" } }"""),
            ("offered", "Good", """["base.proposed"]""", "{}"),
        })
        {
            copy.Write($"tests/carers-assessment-{option}.json", $$"""
                {
                  "description": "A carer's assessment {{option}}.",
                  "base": "complete-good",
                  "answers": { "{{Question}}": "{{option}}" },
                  "audit": { "audit_id": "carers-{{option}}" },
                  "expect": { "overall_grade": "{{grade}}", "status": "Complete", "fired": {{fired}}, "findings": [], "limits": {{limits}} }
                }
                """);
        }
    }
}
