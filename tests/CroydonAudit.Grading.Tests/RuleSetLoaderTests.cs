using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>A bad rule file is refused at load, with a message its author can act on; a good one loads and grades.</summary>
public sealed class RuleSetLoaderTests
{
    [Fact]
    public void Load_DefaultRules_LoadsEveryRuleInEvaluationOrder()
    {
        var ruleSet = RuleSetLoader.Load(RepositoryRoot.Rules);

        Assert.Equal(35, ruleSet.Rules.Count);
        Assert.Equal(["base", "limits", "findings"], ruleSet.Rules.Select(r => r.Definition.Workflow).Distinct());
        Assert.Equal("cap.override", ruleSet.Rules[20].RuleId);
        Assert.Matches("^[0-9a-f]{16}$", ruleSet.Version);
    }

    [Fact]
    public void Load_SameFilesTwice_GivesTheSameVersion()
    {
        using var copy = new RuleFolderCopy();

        Assert.Equal(RuleSetLoader.Load(RepositoryRoot.Rules).Version, RuleSetLoader.Load(copy.Path).Version);
    }

    [Fact]
    public void Load_ChangedRule_GivesANewVersion()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.policy-some-gaps", r => r["Properties"]!["limit"] = "Good");

        Assert.NotEqual(RuleSetLoader.Load(RepositoryRoot.Rules).Version, RuleSetLoader.Load(copy.Path).Version);
    }

    [Fact]
    public void Load_EditedLimit_GradesByTheEditedJson()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Inadequate");
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System);
        var audit = Audits.CompleteGood().WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial });

        var result = grader.Grade(audit);

        Assert.Equal(Grade.Inadequate, result.OverallGrade);
    }

    [Fact]
    public void Load_NewRuleOfTheSameKind_TakesEffectWithoutCode()
    {
        using var copy = new RuleFolderCopy();
        copy.AddRule("findings.json", """
            {
              "RuleName": "finding.no-learning-points",
              "Expression": "audit.OrganisationalLearningPointCount == 0",
              "Properties": {
                "effect": "finding",
                "severity": "INFO",
                "message": "No organisational learning points were raised.",
                "explanation": "The audit raises {audit.OrganisationalLearningPointCount} organisational learning points.",
                "guidance": "Recommendations, 3rd point"
              }
            }
            """);
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System);

        var result = grader.Grade(Audits.CompleteGood());

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("finding.no-learning-points", Severity.Info), (finding.RuleId, finding.Severity));
        Assert.Equal("The audit raises 0 organisational learning points.", result.Trace[^1].Explanation);
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { "expression", "Advocay" },
        { "effect", "\"effect\" must be one of" },
        { "limit", "must be a grade" },
        { "kind", "must be \"hard\"" },
        { "placeholder", "{audit.LowestGrde}" },
        { "unknown property", "\"severty\"" },
        { "output", "must give a grade's rank" },
        { "duplicate name", "is also used in" },
        { "missing explanation", "\"explanation\" is missing" },
        { "json", "limits.json is not valid rule JSON near line" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Load_BadRule_IsRefusedSayingWhatIsWrong(string mistake, string expected)
    {
        using var copy = new RuleFolderCopy();
        Break(copy, mistake);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SeveralMistakes_AreAllReported()
    {
        using var copy = new RuleFolderCopy();
        Break(copy, "limit");
        Break(copy, "kind");
        Break(copy, "placeholder");

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Equal(3, error.Problems.Count);
        Assert.All(error.Problems, p => Assert.StartsWith("limits.json, rule \"", p));
    }

    [Fact]
    public void Load_MissingOrUnlistedFiles_AreRefused()
    {
        using var copy = new RuleFolderCopy();
        File.Move(Path.Combine(copy.Path, "findings.json"), Path.Combine(copy.Path, "findings-draft.json"));

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.Contains("lists findings.json, but there is no such file", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("findings-draft.json is in the rules folder but not listed", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExpressionThatFailsWhenEvaluated_IsRefusedNotReadAsNotFired()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.advocacy", r => r["Expression"] = "audit.Areas[12].Graded");

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.StartsWith("limits.json, rule \"limit.advocacy\": it fails when evaluated", StringComparison.Ordinal));
    }

    [Fact]
    public void Grade_ExpressionThatFailsForOneAudit_FailsLoudlyNamingTheRule()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("findings.json", "finding.recommendation-value", r => r["Expression"] = "!audit.Recommendations[0].NamesValue");
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System);

        var error = Assert.Throws<RuleEvaluationException>(() => grader.Grade(Audits.CompleteGood() with { Recommendations = [] }));

        Assert.Equal("finding.recommendation-value", error.RuleId);
    }

    private static void Break(RuleFolderCopy copy, string mistake)
    {
        switch (mistake)
        {
            case "expression":
                copy.EditRule("limits.json", "limit.advocacy", r => r["Expression"] = "audit.Advocay == \"RequiredNotProvided\"");
                break;
            case "effect":
                copy.EditRule("limits.json", "limit.advocacy", r => r["Properties"]!["effect"] = "cap");
                break;
            case "limit":
                copy.EditRule("limits.json", "limit.advocacy", r => r["Properties"]!["limit"] = "Poor");
                break;
            case "kind":
                copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["kind"] = "firm");
                break;
            case "placeholder":
                copy.EditRule("limits.json", "cap.lowest-plus-one", r => r["Properties"]!["explanation"] = "Lowest is {audit.LowestGrde}.");
                break;
            case "unknown property":
                copy.EditRule("findings.json", "finding.no-summary", r => r["Properties"]!["severty"] = "ERROR");
                break;
            case "output":
                copy.EditRule("base.json", "base.median", r => r["Actions"]!["OnSuccess"]!["Context"]!["Expression"] = "audit.MedianGrade.ToString()");
                break;
            case "duplicate name":
                copy.EditRule("findings.json", "finding.no-summary", r => r["RuleName"] = "limit.advocacy");
                break;
            case "missing explanation":
                copy.EditRule("findings.json", "finding.no-learning", r => r["Properties"]!.AsObject().Remove("explanation"));
                break;
            case "json":
                copy.Write("limits.json", "{ \"WorkflowName\": \"limits\", \"Rules\": [ { \"RuleName\": \"x\" ");
                break;
        }
    }
}
