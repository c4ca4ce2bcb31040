using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading.Tests;

/// <summary>The overall grade is the worse of the base and every fired limit; an override relaxes soft limits only.</summary>
public sealed class OverallGradeCapTests
{
    private static RuleOutcome Base(Grade grade) => Fired(RuleEffect.Base, LimitKind.None, grade);

    private static RuleOutcome Soft(Grade grade) => Fired(RuleEffect.Limit, LimitKind.Soft, grade);

    private static RuleOutcome Hard(Grade grade) => Fired(RuleEffect.Limit, LimitKind.Hard, grade);

    private static RuleOutcome Override(int relaxBy = 1) =>
        new(Rule(RuleEffect.Override, LimitKind.None) with { RelaxBy = relaxBy }, true, 0, null);

    private static RuleOutcome Fired(RuleEffect effect, LimitKind kind, Grade grade) => new(Rule(effect, kind), true, (int)grade, null);

    private static RuleDefinition Rule(RuleEffect effect, LimitKind kind) =>
        new("w", "r", effect, kind, Grade.Unspecified, 0, Severity.Unspecified, Template.Empty, Template.Empty, "g");

    [Fact]
    public void Progress_NoLimits_OverallIsTheBase() =>
        Assert.Equal(Grade.Good, OverallGradeCap.Progress([Base(Grade.Good)]).OverallGrade);

    [Fact]
    public void Progress_LimitWorseThanBase_HoldsTheOverallGrade() =>
        Assert.Equal(Grade.Inadequate, OverallGradeCap.Progress([Base(Grade.Good), Soft(Grade.RequiresImprovement), Hard(Grade.Inadequate)]).OverallGrade);

    [Fact]
    public void Progress_LimitBetterThanBase_ChangesNothing() =>
        Assert.Equal(Grade.RequiresImprovement, OverallGradeCap.Progress([Base(Grade.RequiresImprovement), Soft(Grade.Good)]).OverallGrade);

    [Fact]
    public void Progress_FirstFiredBaseWins()
    {
        var progress = OverallGradeCap.Progress([Base(Grade.Good), Base(Grade.Inadequate)]);

        Assert.Equal(Grade.Good, progress.BaseGrade);
    }

    [Fact]
    public void Progress_NotFiredLimit_IsIgnored()
    {
        RuleOutcome notFired = new(Rule(RuleEffect.Limit, LimitKind.Hard), false, 0, null);

        Assert.Equal(Grade.Good, OverallGradeCap.Progress([Base(Grade.Good), notFired]).OverallGrade);
    }

    [Fact]
    public void Progress_Override_RelaxesSoftLimitsByOneGrade()
    {
        var progress = OverallGradeCap.Progress([Base(Grade.Good), Soft(Grade.Inadequate), Override()]);

        Assert.Equal(Grade.RequiresImprovement, progress.OverallGrade);
        Assert.True(progress.OverrideApplied);
        Assert.Equal(Grade.Inadequate, progress.StrictestSoftLimit);
    }

    [Fact]
    public void Progress_Override_NeverRelaxesAHardLimit() =>
        Assert.Equal(Grade.Inadequate, OverallGradeCap.Progress([Base(Grade.Good), Hard(Grade.Inadequate), Soft(Grade.Inadequate), Override()]).OverallGrade);

    [Fact]
    public void Progress_Override_NeverRelaxesBelowOutstanding()
    {
        var progress = OverallGradeCap.Progress([Base(Grade.Outstanding), Soft(Grade.Good), Override(relaxBy: 3)]);

        Assert.Equal(Grade.Outstanding, progress.OverallGrade);
        Assert.Equal(1, OverallGradeCap.EffectiveLimit(Soft(Grade.Good), progress));
    }

    [Fact]
    public void Progress_Override_NeverMakesTheGradeBetterThanTheBase() =>
        Assert.Equal(Grade.RequiresImprovement, OverallGradeCap.Progress([Base(Grade.RequiresImprovement), Soft(Grade.Inadequate), Override()]).OverallGrade);

    [Fact]
    public void EffectiveLimit_HardLimitUnderOverride_IsUnchanged()
    {
        var progress = OverallGradeCap.Progress([Base(Grade.Good), Override()]);

        Assert.Equal(4, OverallGradeCap.EffectiveLimit(Hard(Grade.Inadequate), progress));
        Assert.Equal(3, OverallGradeCap.EffectiveLimit(Soft(Grade.Inadequate), progress));
    }
}
