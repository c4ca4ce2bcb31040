using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// What earlier rules decided, handed to later rules as the input <c>grading</c>: limits see the
/// base grade, override rules see which limits fired, finding rules see everything.
/// </summary>
/// <param name="BaseGrade">The base grade set by the base rules.</param>
/// <param name="BaseRank">Its rank, 0 before the base rules ran.</param>
/// <param name="StrictestSoftLimit">The strictest soft limit that fired, Unspecified if none.</param>
/// <param name="StrictestSoftLimitRank">Its rank, 0 if none fired.</param>
/// <param name="StrictestHardLimit">The strictest hard limit that fired, Unspecified if none.</param>
/// <param name="StrictestHardLimitRank">Its rank, 0 if none fired.</param>
/// <param name="OverrideApplied">An override rule fired and relaxed the soft limits.</param>
/// <param name="SoftLimitsRelaxedBy">By how many grades the override relaxed each soft limit; 0 without one.</param>
/// <param name="OverallGrade">The overall grade after the limits (and any override).</param>
/// <param name="OverallRank">Its rank.</param>
public sealed record GradingProgress(
    Grade BaseGrade,
    int BaseRank,
    Grade StrictestSoftLimit,
    int StrictestSoftLimitRank,
    Grade StrictestHardLimit,
    int StrictestHardLimitRank,
    bool OverrideApplied,
    int SoftLimitsRelaxedBy,
    Grade OverallGrade,
    int OverallRank)
{
    /// <summary>Nothing decided yet.</summary>
    public static GradingProgress Start { get; } = new(default, 0, default, 0, default, 0, false, 0, default, 0);
}
