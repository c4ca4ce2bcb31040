using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>Rules in words (on the fixture rules): what each kind of rule does, and its optional title.</summary>
public sealed class RuleWordsTests
{
    [Theory]
    [InlineData("base.proposed", "Sets the base grade the overall grade starts from")]
    [InlineData("limit.risk-not-acknowledged", "Limits the overall grade to at most Inadequate; an override never relaxes it")]
    [InlineData("limit.care-act-partial", "Limits the overall grade to at most Requires improvement; an auditor's override can relax it")]
    [InlineData("cap.lowest-plus-one", "Limits the overall grade to at most a grade it works out; an auditor's override can relax it")]
    [InlineData("cap.override", "Relaxes each soft limit by 1 grade, and the audit then needs moderation")]
    [InlineData("finding.no-summary", "Raises an error to put right")]
    [InlineData("finding.bland-text", "Raises a warning to look at")]
    [InlineData("finding.override-needs-moderation", "Raises a note for information")]
    public void WhatARuleDoes_IsSaidInWords(string ruleId, string words) =>
        Assert.Equal(words, RuleWords.WhatItDoes(Rule(FixtureRuleSet.RuleSet, ruleId)));

    [Fact]
    public void ARuleIsNamedByItsTitle_OrByItsGuidance()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Properties"]!["title"] = "Risks were not acknowledged");
        var rules = RuleSetLoader.Load(copy.Path);

        Assert.Equal("Risks were not acknowledged", RuleWords.Name(Rule(rules, "limit.risk-not-acknowledged")));
        Assert.Equal("A rule from the guidance (Fixture limit, soft)", RuleWords.Name(Rule(rules, "limit.care-act-partial")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Risk was {audit.Risk}")]
    public void ATitleThatIsEmptyOrHasAPlaceholder_IsRefused(string title)
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Properties"]!["title"] = title);

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));
        Assert.Contains(error.Problems, p => p.ToString().Contains("\"title\" is a short name for what the rule checks", StringComparison.Ordinal));
    }

    private static RuleDefinition Rule(RuleSet rules, string ruleId) => rules.Rules.Single(r => r.RuleId == ruleId).Definition;
}
