using System.Text.Json.Nodes;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Testing;

namespace CroydonAudit.RuleSets.Tests;

/// <summary>
/// The template is checked with the rules: a question added in template.json, a rule reading it and worked cases
/// written as differences from a base pass; a rule naming a question or option the template lacks, a template without
/// one of the audit's own questions, and a question no rule reads are each refused in words.
/// </summary>
public sealed class TemplateCheckTests
{
    [Fact]
    public void Check_AQuestionAddedWithARuleAndTwoWorkedCases_Passes_AndChangesTheVersion()
    {
        using var copy = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(copy);

        var report = RuleSetCheck.Run(copy.Path).Report;

        Assert.True(report.Passed, report.ToText("the copy"));
        Assert.NotEqual(RuleSetCheck.Run(RepositoryRoot.FixtureRules).Report.Version, report.Version);
        var notOffered = Assert.Single(report.Cases, c => c.File == "tests/carers-assessment-not-offered.json");
        Assert.Equal(["base.proposed", "limit.carers-assessment-not-offered"], notOffered.Fired);
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { "a misspelt question", "reads the question \"family-engagement.carers-asessment\", which the template does not have; did you mean \"family-engagement.carers-assessment\"?" },
        { "a misspelt option", "compares the answer to \"family-engagement.carers-assessment\" with \"not-ofered\", which is not one of its options: \"offered\", \"not-offered\" or \"no-carer\"; did you mean \"not-offered\"?" },
        { "a contract question removed", "section \"key-evidence\" needs the question \"risk\": it is one of the audit's own fields" },
        { "a contract option removed", "question \"care-act\" is one of the audit's own fields, so its options are fixed: \"compliant\", \"partial\" and \"non-compliant\"" },
        { "a question no rule reads", "No rule reads the template's questions: family-engagement.carers-assessment." },
        { "a wrong kind", "question \"family-engagement.carers-assessment\" needs a \"kind\": \"choice\" (one of its options), \"yes-no\" or \"text\"; did you mean \"choice\"?" },
        { "an answer to a missing option in a case", "\"answers.care-act\" cannot be \"partly\": it must be \"compliant\", \"partial\" or \"non-compliant\"." },
        { "a missing base", "names the base audit \"complete-goood\", but there is no tests/bases/complete-goood.json." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Check_TemplateMistake_IsRefusedSayingWhereAndWhy(string mistake, string why)
    {
        using var copy = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(copy);
        Make(copy, mistake);

        var report = RuleSetCheck.Run(copy.Path).Report;
        var text = report.ToText("the copy");

        Assert.False(report.Passed);
        Assert.True(text.Contains(why, StringComparison.Ordinal), text);
    }

    [Fact]
    public void Diff_SaysTheQuestionAddedAndTheRuleReadingIt_InWords()
    {
        using var before = new RuleFolderCopy();
        TemplateChanges.AddFixtureTemplate(before);
        using var after = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(after);
        after.Edit("template.json", t => Section(t, "risk-and-need")["title"] = "Risk and need, reworded");

        var text = Diffing.RuleSetDiff.ToText(
            Diffing.RuleSetDiff.Compare(Grading.Rules.RuleSetFiles.FromDirectory(before.Path), Grading.Rules.RuleSetFiles.FromDirectory(after.Path)), "before", "after");

        Assert.Contains("question added: family-engagement.carers-assessment, \"Was a carer's assessment offered?\" (choice: offered, not-offered, no-carer)", text, StringComparison.Ordinal);
        Assert.Contains("section risk-and-need title reworded: \"Fixture section risk-and-need\" → \"Risk and need, reworded\"", text, StringComparison.Ordinal);
        Assert.Contains("limit.carers-assessment-not-offered (limits.json):", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AQuestionMarkedInformational_NeedsNoRule()
    {
        using var copy = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(copy);
        Make(copy, "a question no rule reads");
        copy.Edit("template.json", t => Question(t)["informational"] = true);

        Assert.True(RuleSetCheck.Run(copy.Path).Report.Passed);
    }

    private static void Make(RuleFolderCopy copy, string mistake)
    {
        switch (mistake)
        {
            case "a misspelt question":
                copy.EditRule("limits.json", "limit.carers-assessment-not-offered", r => r["Expression"] = "audit.Answer(\"family-engagement.carers-asessment\").Is(\"not-offered\")");
                break;
            case "a misspelt option":
                copy.EditRule("limits.json", "limit.carers-assessment-not-offered", r => r["Expression"] = "audit.Answer(\"family-engagement.carers-assessment\").Is(\"not-ofered\")");
                break;
            case "a contract question removed":
                copy.Edit("template.json", t => Section(t, "key-evidence")["questions"]!.AsArray().RemoveAt(4));
                break;
            case "a contract option removed":
                copy.Edit("template.json", t => Section(t, "key-evidence")["questions"]![2]!["options"]!.AsArray().RemoveAt(0));
                break;
            case "a question no rule reads":
                copy.EditRule("limits.json", "limit.carers-assessment-not-offered", r => r["Expression"] = "audit.Areas.Any(a => a.SignificantConcern) && false");
                foreach (var option in new[] { "not-offered", "offered" })
                {
                    copy.Delete($"tests/carers-assessment-{option}.json");
                }

                copy.Edit("limits.json", w => w["Rules"]!.AsArray().Remove(w["Rules"]!.AsArray().Single(r => (string?)r!["RuleName"] == "limit.carers-assessment-not-offered")));
                break;
            case "a wrong kind":
                copy.Edit("template.json", t => Question(t)["kind"] = "choise");
                break;
            case "an answer to a missing option in a case":
                copy.Edit("tests/carers-assessment-offered.json", c => c["answers"]!["care-act"] = "partly");
                break;
            case "a missing base":
                copy.Edit("tests/carers-assessment-offered.json", c => c["base"] = "complete-goood");
                break;
        }
    }

    private static JsonNode Section(JsonNode template, string id) => template["sections"]!.AsArray().Single(s => (string?)s!["id"] == id)!;

    private static JsonNode Question(JsonNode template) =>
        Section(template, "family-engagement")["questions"]!.AsArray().Single(q => (string?)q!["id"] == TemplateChanges.Question)!;
}
