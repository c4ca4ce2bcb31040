using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>A bad rule file is refused at load, with a message its author can act on; a good one loads and grades.</summary>
public sealed class RuleSetLoaderTests
{
    [Fact]
    public void Load_FixtureRules_LoadsEveryRuleInEvaluationOrder()
    {
        var ruleSet = RuleSetLoader.Load(RepositoryRoot.FixtureRules);

        Assert.Equal(15, ruleSet.Rules.Count);
        Assert.Equal(["base", "limits", "findings"], ruleSet.Rules.Select(r => r.Definition.Workflow).Distinct());
        Assert.Equal("cap.override", ruleSet.Rules[7].RuleId);
        Assert.Equal("Test fixture rules", ruleSet.Label);
        Assert.Matches("^[0-9a-f]{16}$", ruleSet.Version);
        Assert.Equal(["base.json", "findings.json", "limits.json", "ruleset.json"], ruleSet.Files.Files.Keys);
    }

    [Theory]
    [InlineData("secret.json", "secret.json")]
    [InlineData("tests/linked.json", "tests/linked.json")]
    [InlineData("tests/bases", "tests/bases")]
    public void Load_AFolderWithALink_IsRefused_SayingWhichAndWhy(string link, string named)
    {
        using var copy = new RuleFolderCopy();
        var outside = Directory.CreateTempSubdirectory("croydon-outside");
        try
        {
            File.WriteAllText(Path.Combine(outside.FullName, "shadow.json"), "{\"root\": \"x\"}");
            var at = Path.Combine(copy.Path, link);
            if (link.EndsWith(".json", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(at, Path.Combine(outside.FullName, "shadow.json"));
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(at)!);
                Directory.CreateSymbolicLink(at, outside.FullName);
            }

            var refused = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

            Assert.Equal(named, Assert.Single(refused.Problems).File);
            Assert.Contains("is a link to another", refused.Problems[0].Message, StringComparison.Ordinal);
            Assert.DoesNotContain("root", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_SameFilesTwice_GivesTheSameVersion()
    {
        using var copy = new RuleFolderCopy();

        Assert.Equal(RuleSetLoader.Load(RepositoryRoot.FixtureRules).Version, RuleSetLoader.Load(copy.Path).Version);
    }

    [Fact]
    public void Load_ChangedRule_GivesANewVersion_ButAChangedWorkedCaseDoesNot()
    {
        using var copy = new RuleFolderCopy();
        copy.Edit("tests/complete-good.json", c => c["description"] = "Reworded.");
        var sameRules = RuleSetLoader.Load(copy.Path).Version;
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Good");

        Assert.Equal(RuleSetLoader.Load(RepositoryRoot.FixtureRules).Version, sameRules);
        Assert.NotEqual(sameRules, RuleSetLoader.Load(copy.Path).Version);
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
        { "unknown fact", "limits.json, rule \"limit.risk-not-acknowledged\": its Expression (audit.Rsk == \"NotAcknowledged\"): audit has no fact \"Rsk\". Did you mean \"Risk\"?" },
        { "unknown fact of an area", "an area has no fact \"SignificantConcen\". Did you mean \"SignificantConcern\"?" },
        { "misspelt value", "\"NotAcknowledgd\" is not one of the values of Risk: the values are PositiveRiskTaking, Weighed, Partial or NotAcknowledged (or Unspecified when not recorded). Did you mean \"NotAcknowledged\"?" },
        { "misspelt grade", "\"Goood\" is not a grade: the values are Outstanding, Good, RequiresImprovement or Inadequate (or Unspecified when not recorded). Did you mean \"Good\"?" },
        { "effect", "\"effect\" must be one of" },
        { "limit", "must be a grade" },
        { "kind", "must be \"hard\"" },
        { "placeholder", "{audit.LowestGrde}" },
        { "unknown property", "\"severty\"" },
        { "output", "must give a grade's rank" },
        { "duplicate name", "is also used in" },
        { "missing explanation", "\"explanation\" is missing" },
        { "json", "limits.json: is not valid JSON at line" },
        { "no label", "ruleset.json: needs a \"label\"" },
        { "too long", "at most 2,000 are allowed" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Load_BadRule_IsRefusedSayingWhatIsWrong(string mistake, string expected)
    {
        using var copy = new RuleFolderCopy();
        Break(copy, mistake);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.ToString().Contains(expected, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> OutsideTheFacts => new()
    {
        { "audit.GetType().Assembly.Location != null", "GetType(…)" },
        { "DateTime.Now.Year > 2000", "DateTime.Now" },
        { "Enumerable.Range(0, 2000000000).Count() > 3", "Enumerable.Range(…)" },
        { "\"x\".PadLeft(300000000).Length > 1", "PadLeft(…)" },
        { "audit.LowestAreas.Contains(\"Impact\")", "Contains(…)" },
        { "audit.ToString() != \"\"", "ToString(…)" },
    };

    [Theory]
    [MemberData(nameof(OutsideTheFacts))]
    public void Load_ExpressionReachingOutsideTheFacts_IsRefused(string expression, string named)
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = expression);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("limits.json", "limit.risk-not-acknowledged"), (problem.File, problem.Rule));
        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
        Assert.Contains("which a rule may not", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit.Areas.Count(a => a.Graded && a.Evidence.Words > 3) >= Math.Max(2, audit.GradedAreaCount / 2)")]
    [InlineData("audit.Recommendations.Where(r => r.NamesValue).Select(r => r.Text.Words).Sum() > 10 || grading.OverallRank == 4")]
    [InlineData("audit.Areas[0].Grade == \"Good\" && audit.KeyEvidence.First().Recorded")]
    public void Load_ExpressionOverTheFacts_IsAccepted(string expression)
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = expression);

        Assert.NotNull(RuleSetLoader.Load(copy.Path));
    }

    [Fact]
    public void Load_BaseRulesThatLeaveAnAuditWithoutABaseGrade_AreRefusedNamingTheGap()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("base.json", "base.median", r => r["Enabled"] = false);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("base.json", "base.proposed"), (problem.File, problem.Rule));
        Assert.Contains("no base rule fires for an audit where HasProposedGrade is no", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoBaseRule_IsRefused()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("base.json", "base.median", r => r["Enabled"] = false);
        copy.EditRule("base.json", "base.proposed", r => r["Enabled"] = false);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains("there is no base rule", Assert.Single(error.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LastBaseRuleAlwaysFires_CoversEveryAudit()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("base.json", "base.median", r => r["Expression"] = "true");

        var result = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System).Grade(Audits.CompleteGood() with { ProposedOverallGrade = Grade.Unspecified });

        Assert.Equal(Grade.Good, result.BaseGrade);
    }

    [Fact]
    public void Load_BaseRulesReadingMoreThanPlainFacts_MustEndWithOneThatAlwaysFires()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("base.json", "base.median", r => r["Expression"] = "!audit.HasProposedGrade && audit.Areas.Any(a => a.Graded)");

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains("Make the last base rule's Expression \"true\"", Assert.Single(error.Problems).Message, StringComparison.Ordinal);
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
        Assert.All(error.Problems, p => Assert.Equal("limits.json", p.File));
    }

    [Fact]
    public void Load_MissingOrUnlistedFiles_AreRefused()
    {
        using var copy = new RuleFolderCopy();
        File.Move(Path.Combine(copy.Path, "findings.json"), Path.Combine(copy.Path, "findings-draft.json"));

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.ToString().Contains("lists findings.json, but there is no such workflow file", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.ToString().StartsWith("findings-draft.json: is in the rules folder but not listed", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExpressionThatFailsWhenEvaluated_IsRefusedNotReadAsNotFired()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Areas[12].Graded");

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains(error.Problems, p => p.ToString().StartsWith("limits.json, rule \"limit.risk-not-acknowledged\": it fails when evaluated", StringComparison.Ordinal));
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

    [Fact]
    public void Files_FromACaller_RefuseUnsafeNamesAndOversizedFiles()
    {
        var error = Assert.Throws<RuleSetException>(() => RuleSetFiles.From([("../etc/passwd.json", [1]), ("ok.json", new byte[RuleSetFiles.MaxFileBytes + 1])]));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("is not a file name the rules folder can hold", error.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("a rule file may be at most", error.Problems[1].Message, StringComparison.Ordinal);
    }

    private static void Break(RuleFolderCopy copy, string mistake)
    {
        switch (mistake)
        {
            case "unknown fact":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Rsk == \"NotAcknowledged\"");
                break;
            case "unknown fact of an area":
                copy.EditRule("limits.json", "limit.significant-concern", r => r["Expression"] = "audit.Areas.Any(a => a.SignificantConcen)");
                break;
            case "misspelt value":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Risk == \"NotAcknowledgd\"");
                break;
            case "misspelt grade":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Areas.Any(a => a.Grade == \"Goood\")");
                break;
            case "effect":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Properties"]!["effect"] = "cap");
                break;
            case "limit":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Properties"]!["limit"] = "Poor");
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
                copy.EditRule("base.json", "base.median", r => r["Actions"]!["OnSuccess"]!["Context"]!["Expression"] = "audit.MedianRank > 1");
                break;
            case "duplicate name":
                copy.EditRule("findings.json", "finding.no-summary", r => r["RuleName"] = "limit.risk-not-acknowledged");
                break;
            case "missing explanation":
                copy.EditRule("findings.json", "finding.no-recommendations", r => r["Properties"]!.AsObject().Remove("explanation"));
                break;
            case "json":
                copy.Write("limits.json", "{ \"WorkflowName\": \"limits\", \"Rules\": [ { \"RuleName\": \"x\" ");
                break;
            case "no label":
                copy.Edit("ruleset.json", m => m.AsObject().Remove("label"));
                break;
            case "too long":
                copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = string.Join(" || ", Enumerable.Repeat("audit.Risk == \"NotAcknowledged\"", 80)));
                break;
        }
    }
}
