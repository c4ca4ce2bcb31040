using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>Grading one audit has a budget of work: a rule that needs more fails naming itself, and a caller that gives up stops grading.</summary>
public sealed class EvaluationBudgetTests
{
    private const string Nested = "audit.Recommendations.Count > 10 && audit.Texts.Count(a => audit.Texts.Count(b => audit.Texts.Count(c => c.Words >= 0) > 0) > 0) > 0";

    private static AuditSubmission ManyRecommendations() =>
        Audits.CompleteGood() with { Recommendations = [.. Enumerable.Repeat(new Recommendation("Share the plan with the family this week.", CroydonValue.OneTeam), 50)] };

    [Fact]
    public void Grade_RuleNeedingMoreThanTheBudget_FailsNamingTheRule()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] = Nested);
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System, evaluationBudget: 100_000);

        var error = Assert.Throws<RuleEvaluationException>(() => grader.Grade(ManyRecommendations()));

        Assert.Equal("limit.care-act-partial", error.RuleId);
        Assert.Contains("evaluation budget", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Grade_SameRuleWithinABudget_Grades()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] = Nested);
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System, evaluationBudget: 1_000_000);

        Assert.Equal(Grade.RequiresImprovement, grader.Grade(ManyRecommendations()).OverallGrade);
    }

    [Fact]
    public void Grade_CallerGivesUp_StopsWithCancellation()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] = Nested);
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System, evaluationBudget: long.MaxValue);

        Assert.ThrowsAny<OperationCanceledException>(() => grader.Grade(ManyRecommendations(), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Grade_DeadlinePasses_StopsSayingSo()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] = Nested);
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), TimeProvider.System, evaluationBudget: long.MaxValue);

        Assert.Throws<GradingDeadlineException>(() => grader.Grade(ManyRecommendations(), CancellationToken.None, deadline: DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(Grade.RequiresImprovement, grader.Grade(ManyRecommendations(), CancellationToken.None, deadline: DateTime.UtcNow.AddMinutes(1)).OverallGrade);
    }

    [Fact]
    public void Grade_Deadline_IsKeptByTheGradersClock()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] = Nested);
        // A clock years behind the computer's: a deadline a minute ahead of it is long past by the computer's, and
        // one a minute behind it still to come.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var grader = new AuditGrader(RuleSetLoader.Load(copy.Path), clock, evaluationBudget: long.MaxValue);
        var now = clock.GetUtcNow().UtcDateTime;

        Assert.Equal(Grade.RequiresImprovement, grader.Grade(ManyRecommendations(), CancellationToken.None, deadline: now.AddMinutes(1)).OverallGrade);
        Assert.Throws<GradingDeadlineException>(() => grader.Grade(ManyRecommendations(), CancellationToken.None, deadline: now.AddSeconds(-1)));
    }

    [Fact]
    public void Load_RuleOverTheBudgetOnASampleAudit_IsRefused()
    {
        using var copy = new RuleFolderCopy();
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Expression"] =
            "audit.Texts.Count(a => audit.Texts.Count(b => audit.Texts.Count(c => audit.Texts.Count(d => audit.Texts.Count(e => true) > 0) > 0) > 0) > 0) > 0");

        var error = Assert.Throws<RuleSetException>(() => RuleSetLoader.Load(copy.Path));

        Assert.Contains("needed more work than the evaluation budget allows", Assert.Single(error.Problems).Message, StringComparison.Ordinal);
    }
}
