using System.Text.Json.Nodes;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Testing;

namespace CroydonAudit.RuleSets.Tests;

/// <summary>
/// rules check: one report, every problem once with its file, rule and a fix; worked cases with expected
/// against actual; coverage that fails when a rule or a limit's grade and kind is not held by a case.
/// </summary>
public sealed class RuleSetCheckTests
{
    [Fact]
    public void Check_FixtureRules_PassesEveryCheck()
    {
        var report = RuleSetCheck.Run(RepositoryRoot.FixtureRules).Report;

        Assert.True(report.Passed, report.ToText("fixture"));
        Assert.Equal(11, report.Cases.Count);
        Assert.Contains("All is well", report.ToText("fixture"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FilesWrittenWithCommentsAndTrailingCommas_PassAsTheyWould_WithoutThem()
    {
        using var copy = new RuleFolderCopy();
        foreach (var file in Directory.EnumerateFiles(copy.Path, "*.json", SearchOption.AllDirectories))
        {
            copy.WriteAsPeopleDo(Path.GetRelativePath(copy.Path, file));
        }

        var report = RuleSetCheck.Run(copy.Path).Report;
        var plain = RuleSetCheck.Run(RepositoryRoot.FixtureRules).Report;

        Assert.Contains("// Edited by hand.", File.ReadAllText(Path.Combine(copy.Path, "tests", "complete-good.json")), StringComparison.Ordinal);
        Assert.True(report.Passed, report.ToText("the copy"));
        Assert.Equal(plain.RuleCount, report.RuleCount);
        Assert.Equal(plain.Cases.Select(c => (c.File, c.Passed, string.Join(' ', c.Fired))), report.Cases.Select(c => (c.File, c.Passed, string.Join(' ', c.Fired))));
    }

    [Theory]
    [InlineData("findings.json", "{ \"WorkflowName\": \"findings\",\n  \"Rules\": [ } ", "findings.json: is not valid JSON at line 2, column 14")]
    [InlineData("tests/complete-good.json", "{\n  \"description\": \"x\"\n  \"audit\": {}\n}", "tests/complete-good.json: is not valid JSON at line 3, column 3")]
    public void Check_FileThatIsNotJsonEvenSo_IsOneLineWithItsLineAndColumn(string file, string text, string expected)
    {
        using var copy = new RuleFolderCopy();
        copy.Write(file, text);

        var lines = RuleSetCheck.Run(copy.Path).Report.ToText("the copy").Split('\n');

        var line = Assert.Single(lines, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "typo'd fact", "limits.json, rule \"limit.risk-not-acknowledged\"", "audit has no fact \"Rsk\". Did you mean \"Risk\"?" },
        { "misspelt value", "limits.json, rule \"limit.risk-not-acknowledged\"", "the values are PositiveRiskTaking, Weighed, Partial or NotAcknowledged (or Unspecified when not recorded). Did you mean \"NotAcknowledged\"?" },
        { "invalid JSON", "findings.json", "is not valid JSON at line" },
        { "bad grade word", "limits.json, rule \"limit.care-act-partial\"", "must be a grade: \"Outstanding\", \"Good\", \"Requires improvement\" or \"Inadequate\", not \"Requires Improvment\"" },
        { "duplicate name", "findings.json, rule \"limit.care-act-partial\"", "is also used in limits.json" },
        { "missing explanation", "findings.json, rule \"finding.no-summary\"", "\"explanation\" is missing" },
        { "base rules that cannot cover every audit", "base.json, rule \"base.proposed\"", "no base rule fires for an audit where HasProposedGrade is no" },
        { "GetType()", "limits.json, rule \"limit.risk-not-acknowledged\"", "uses GetType(…), which a rule may not" },
        { "misspelt property", "limits.json, rule \"limit.care-act-partial\"", "\"Properties\" has \"knd\", which a limit rule does not use; did you mean \"kind\"?" },
        { "worked case that fails", "FAILED tests/care-act-partial.json", "overall grade: expected Requires improvement, got Inadequate" },
        { "limit's kind changed", "FAILED tests/care-act-partial.json", "limit.care-act-partial: expected a soft limit of Requires improvement, but it is a hard limit of Requires improvement" },
        { "worked case audit misspelt", "tests/complete-good.json", "\"audit.key_evidence.risk\" cannot be \"RISK_PRACTICE_WEIGHD\": it must be" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Check_Mistake_IsRefusedOnceWithWhereAndWhy(string mistake, string where, string why)
    {
        using var copy = new RuleFolderCopy();
        Break(copy, mistake);

        var report = RuleSetCheck.Run(copy.Path).Report;
        var text = report.ToText("the copy");

        Assert.False(report.Passed);
        Assert.Contains(where, text, StringComparison.Ordinal);
        Assert.Contains(why, text, StringComparison.Ordinal);
        Assert.Equal(report.Problems.Count, report.Problems.Distinct().Count());
        Assert.EndsWith("These rules cannot be activated until everything above is put right.\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FailingWorkedCase_ShowsExpectedAgainstActualAndTheRulesThatFired()
    {
        using var copy = new RuleFolderCopy();
        Break(copy, "worked case that fails");

        var failed = Assert.Single(RuleSetCheck.Run(copy.Path).Report.Cases, c => c.File == "tests/care-act-partial.json");

        Assert.False(failed.Passed);
        Assert.Equal(["base.proposed", "limit.care-act-partial"], failed.Fired);
        Assert.Contains("limit.care-act-partial: expected a soft limit of Requires improvement, but it is a soft limit of Inadequate", failed.Differences);
    }

    [Fact]
    public void Check_RuleNoCaseFires_FailsCoverage()
    {
        using var copy = new RuleFolderCopy();
        copy.Delete("tests/no-recommendations.json");

        var report = RuleSetCheck.Run(copy.Path).Report;

        Assert.False(report.Passed);
        Assert.Equal(["finding.no-recommendations"], report.Coverage!.RulesNeverFired);
        Assert.Contains("No worked case fires: finding.no-recommendations.", report.ToText("x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LimitNoCasePins_FailsCoverage()
    {
        using var copy = new RuleFolderCopy();
        copy.Edit("tests/significant-concern.json", c => c["expect"]!.AsObject().Remove("limits"));

        var report = RuleSetCheck.Run(copy.Path).Report;

        Assert.False(report.Passed);
        Assert.Empty(report.Coverage!.RulesNeverFired);
        Assert.Equal(["limit.significant-concern"], report.Coverage.LimitsNotPinned);
    }

    [Fact]
    public void Check_PolicyChangeWithItsWorkedCaseUpdated_Passes()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.significant-concern", r => r["Properties"]!["limit"] = "Inadequate");
        copy.Edit("tests/significant-concern.json", c =>
        {
            c["expect"]!["overall_grade"] = "GRADE_INADEQUATE";
            c["expect"]!["limits"]!["limit.significant-concern"]!["limit"] = "Inadequate";
        });

        var report = RuleSetCheck.Run(copy.Path).Report;

        Assert.True(report.Passed, report.ToText("the copy"));
    }

    [Fact]
    public void Check_MissingFolder_SaysSo()
    {
        var report = RuleSetCheck.Run(Path.Combine(Path.GetTempPath(), "no-such-rules-folder")).Report;

        Assert.False(report.Passed);
        Assert.Contains("the rules folder does not exist", Assert.Single(report.Problems).Message, StringComparison.Ordinal);
    }

    private static void Break(RuleFolderCopy copy, string mistake)
    {
        switch (mistake)
        {
            case "typo'd fact":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Rsk == \"NotAcknowledged\"");
                break;
            case "misspelt value":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Risk == \"NotAcknowlegded\"");
                break;
            case "invalid JSON":
                copy.Write("findings.json", "{ \"WorkflowName\": \"findings\", \"Rules\": [ ");
                break;
            case "bad grade word":
                copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Requires Improvment");
                break;
            case "duplicate name":
                copy.EditRule("findings.json", "finding.no-summary", r => r["RuleName"] = "limit.care-act-partial");
                break;
            case "missing explanation":
                copy.EditRule("findings.json", "finding.no-summary", r => r["Properties"]!.AsObject().Remove("explanation"));
                break;
            case "base rules that cannot cover every audit":
                copy.EditRule("base.json", "base.median", r => r["Enabled"] = false);
                break;
            case "GetType()":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.GetType().Assembly.Location != null");
                break;
            case "misspelt property":
                copy.EditRule("limits.json", "limit.care-act-partial", r =>
                {
                    var properties = r["Properties"]!.AsObject();
                    properties["knd"] = properties["kind"]!.GetValue<string>();
                    properties.Remove("kind");
                });
                break;
            case "worked case that fails":
                copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Inadequate");
                break;
            case "limit's kind changed":
                copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["kind"] = "hard");
                break;
            case "worked case audit misspelt":
                copy.Edit("tests/complete-good.json", c => c["audit"]!["key_evidence"]!["risk"] = JsonValue.Create("RISK_PRACTICE_WEIGHD"));
                break;
        }
    }
}
