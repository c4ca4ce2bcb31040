using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading;

/// <summary>
/// The grade arithmetic: the overall grade is the worse of the base grade and every fired limit,
/// with soft limits relaxed (never better than Outstanding) once an override has fired.
/// </summary>
public static class OverallGradeCap
{
    /// <summary>What grading has decided once <paramref name="outcome"/> is taken into account.</summary>
    public static GradingProgress Apply(GradingProgress progress, in RuleOutcome outcome)
    {
        if (!outcome.Fired)
        {
            return progress;
        }

        var (baseRank, soft, hard, relaxBy) = (progress.BaseRank, progress.StrictestSoftLimitRank, progress.StrictestHardLimitRank, progress.SoftLimitsRelaxedBy);
        switch (outcome.Rule.Effect)
        {
            case RuleEffect.Base when baseRank == 0:
                baseRank = outcome.Rank;
                break;
            case RuleEffect.Limit when outcome.Rule.Kind == LimitKind.Soft:
                soft = Math.Max(soft, outcome.Rank);
                break;
            case RuleEffect.Limit:
                hard = Math.Max(hard, outcome.Rank);
                break;
            case RuleEffect.Override when relaxBy == 0:
                relaxBy = outcome.Rule.RelaxBy;
                break;
            default:
                return progress;
        }

        var overall = Math.Max(baseRank, Math.Max(hard, Relax(soft, relaxBy)));
        return new GradingProgress(
            (Grade)baseRank, baseRank, (Grade)soft, soft, (Grade)hard, hard, relaxBy > 0, relaxBy, (Grade)overall, overall);
    }

    /// <summary>What a sequence of outcomes decides, from nothing.</summary>
    public static GradingProgress Progress(ReadOnlySpan<RuleOutcome> outcomes)
    {
        var progress = GradingProgress.Start;
        foreach (var outcome in outcomes)
        {
            progress = Apply(progress, outcome);
        }

        return progress;
    }

    /// <summary>The rank a fired limit holds the overall grade to, after any override.</summary>
    public static int EffectiveLimit(in RuleOutcome limit, GradingProgress progress) =>
        limit.Rule.Kind == LimitKind.Soft ? Relax(limit.Rank, progress.SoftLimitsRelaxedBy) : limit.Rank;

    private static int Relax(int rank, int relaxBy) => rank == 0 ? 0 : Math.Max((int)Grade.Outstanding, rank - relaxBy);
}
