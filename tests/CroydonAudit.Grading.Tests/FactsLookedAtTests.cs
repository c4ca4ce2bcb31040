using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading.Tests;

/// <summary>
/// "Why not?": what a rule looked at, in words, derived from the facts its condition reads (on the fixture rules):
/// recorded values, yes/no facts, texts, each item's fact of a list, and a list by its length.
/// </summary>
public sealed class FactsLookedAtTests
{
    [Fact]
    public void ARecordedValue_IsNamedWithItsValue()
    {
        var lines = LookedAt("limit.risk-not-acknowledged", Audits.CompleteGood());

        Assert.Equal(["Risk: weighed"], lines);
    }

    [Fact]
    public void EachValueTheConditionReads_IsListedOnce_InTheOrderItIsRead()
    {
        var lines = LookedAt("limit.outstanding-evidence", Audits.CompleteGood().WithKeyEvidence(k => k with { Risk = RiskPractice.Partial }));

        Assert.Equal(["Person involvement: central", "Risk: partial"], lines);
    }

    [Fact]
    public void AFactOfEachItem_NamesTheItemsItHoldsFor_OrNone()
    {
        var concern = Audits.CompleteGood().WithArea(PracticeArea.Assessment, a => a with { SignificantConcern = true, SignificantConcernDetail = "Risks were not reviewed." });

        Assert.Equal(["Significant concern: none of the areas"], LookedAt("limit.significant-concern", Audits.CompleteGood()));
        Assert.Equal(["Significant concern: Assessment"], LookedAt("limit.significant-concern", concern));
    }

    [Fact]
    public void TextsAndLists_AreDescribedByWhatTheyHold()
    {
        var audit = Audits.CompleteGood();
        var words = AuditFactsBuilder.Build(audit, FixtureRuleSet.RuleSet.BlandText).SummaryOfFindings.Words;

        Assert.Equal([$"Summary of findings: {words} words"], LookedAt("finding.no-summary", audit));
        Assert.Equal(["Summary of findings: not recorded"], LookedAt("finding.no-summary", audit with { SummaryOfFindings = "" }));
        Assert.Equal(["Recommendations: 1 listed"], LookedAt("finding.no-recommendations", audit));
        Assert.Equal(["The auditor proposed a grade: yes", "Override rationale: not recorded"], LookedAt("cap.override", audit));
    }

    [Fact]
    public void AGradesRank_IsReadAsTheGrade_NeverAsANumber()
    {
        var lines = LookedAt("cap.lowest-plus-one", Audits.CompleteGood());

        Assert.Contains("The lowest area grade: Good", lines);
        Assert.DoesNotContain(lines, l => l.Contains("rank", StringComparison.OrdinalIgnoreCase) || l.Any(char.IsAsciiDigit));
    }

    private static IReadOnlyList<string> LookedAt(string ruleId, AuditSubmission audit)
    {
        var rules = FixtureRuleSet.RuleSet;
        return FactsLookedAt.Of(rules.Rules.Single(r => r.RuleId == ruleId), AuditFactsBuilder.Build(audit, rules.BlandText));
    }
}
