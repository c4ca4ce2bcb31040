using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading;

/// <summary>
/// The grade arithmetic: the overall grade is the worse of the base grade and every fired limit,
/// with soft limits relaxed (never better than Outstanding) when an override fired.
/// </summary>
public static class OverallGradeCap
{
    /// <summary>What the rules evaluated so far have decided.</summary>
    public static GradingProgress Progress(ReadOnlySpan<RuleOutcome> outcomes)
    {
        int baseRank = 0, soft = 0, hard = 0, relaxBy = 0;
        var overrideApplied = false;
        foreach (var outcome in outcomes)
        {
            if (!outcome.Fired)
            {
                continue;
            }

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
                case RuleEffect.Override when !overrideApplied:
                    overrideApplied = true;
                    relaxBy = outcome.Rule.RelaxBy;
                    break;
            }
        }

        var overall = Math.Max(baseRank, Math.Max(hard, Relax(soft, relaxBy)));
        return new GradingProgress(
            (Grade)baseRank, baseRank, (Grade)soft, soft, (Grade)hard, hard, overrideApplied, relaxBy, (Grade)overall, overall);
    }

    /// <summary>The rank a fired limit holds the overall grade to, after any override.</summary>
    public static int EffectiveLimit(RuleOutcome limit, GradingProgress progress) =>
        limit.Rule.Kind == LimitKind.Soft ? Relax(limit.Rank, progress.SoftLimitsRelaxedBy) : limit.Rank;

    private static int Relax(int rank, int relaxBy) => rank == 0 ? 0 : Math.Max((int)Grade.Outstanding, rank - relaxBy);
}
