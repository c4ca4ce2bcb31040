using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;

namespace CroydonAudit.Grading.Tests;

public sealed class MedianAndWorstTests
{
    [Theory]
    [InlineData(new[] { 2 }, 2, 2)]
    [InlineData(new[] { 1, 3 }, 3, 3)]
    [InlineData(new[] { 1, 2, 3 }, 2, 3)]
    [InlineData(new[] { 3, 1, 3, 2 }, 3, 3)]
    [InlineData(new[] { 1, 1, 2, 4 }, 2, 4)]
    [InlineData(new[] { 4, 1, 1, 1, 1 }, 1, 4)]
    [InlineData(new[] { 2, 2, 2, 2, 2, 2, 2, 2, 3 }, 2, 3)]
    public void MedianAndWorst_GradedAreas_TakesFloorHalfOfSortedRanksAndTheLargest(int[] ranks, int median, int worst)
    {
        var audit = Audits.CompleteGood().WithAreas([.. ranks.Select(r => (Grade)r)]);

        var facts = AuditFactsBuilder.Build(audit, FixtureRuleSet.RuleSet.BlandText);

        Assert.Equal((median, worst), (facts.MedianRank, facts.WorstRank));
    }

    [Fact]
    public void MedianAndWorst_IgnoresNotApplicableAndUngradedAreas()
    {
        var audit = Audits.CompleteGood().WithAreas(Grade.Outstanding, Grade.Inadequate, Grade.Inadequate, Grade.Unspecified)
            .WithArea(PracticeArea.AdultVoice, a => a with { Grade = Grade.Unspecified, NotApplicable = true })
            .WithArea(PracticeArea.PlansAndReviews, a => a with { Grade = Grade.Unspecified, NotApplicable = true });

        var facts = AuditFactsBuilder.Build(audit, FixtureRuleSet.RuleSet.BlandText);

        Assert.Equal(2, facts.GradedAreaCount);
        Assert.Equal((Grade.Inadequate, Grade.Inadequate), (facts.MedianGrade, facts.LowestGrade));
        Assert.Equal("Assessment", facts.LowestAreas);
    }

    [Fact]
    public void LowestAreas_SeveralAtTheWorstGrade_AreListedInWords()
    {
        var audit = Audits.CompleteGood().WithAreas(Grade.RequiresImprovement, Grade.Good, Grade.Good, Grade.RequiresImprovement, Grade.Good, Grade.RequiresImprovement);

        var facts = AuditFactsBuilder.Build(audit, FixtureRuleSet.RuleSet.BlandText);

        Assert.Equal("Risk and need, Adult's voice and Professional curiosity", facts.LowestAreas);
    }
}
