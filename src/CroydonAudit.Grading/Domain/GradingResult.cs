namespace CroydonAudit.Grading.Domain;

/// <summary>What grading decided, and why.</summary>
/// <param name="AuditId">The audit's id.</param>
/// <param name="Revision">0 for a preview; 1, 2, … for stored revisions.</param>
/// <param name="OverallGrade">The final grade after every rule.</param>
/// <param name="BaseGrade">The proposed grade, or the median where none was proposed.</param>
/// <param name="MedianGrade">The median of the graded areas.</param>
/// <param name="LowestGrade">The worst of the graded areas.</param>
/// <param name="AreaGrades">All nine areas, in the guidance's order.</param>
/// <param name="Status">Incomplete when any ERROR finding was raised.</param>
/// <param name="CapApplied">Rules made the overall grade worse than the base grade.</param>
/// <param name="ModerationRequired">The auditor's override relaxed the soft limits.</param>
/// <param name="Findings">What the auditor should put right or look at.</param>
/// <param name="Trace">Every rule evaluated, fired or not, in evaluation order.</param>
/// <param name="Summary">A plain-English paragraph an auditor can read.</param>
/// <param name="RuleSetVersion">The content hash of the rule set that graded the audit.</param>
/// <param name="GradedAt">When it was graded, to the microsecond.</param>
public sealed record GradingResult(
    string AuditId,
    int Revision,
    Grade OverallGrade,
    Grade BaseGrade,
    Grade MedianGrade,
    Grade LowestGrade,
    IReadOnlyList<AreaResult> AreaGrades,
    AuditStatus Status,
    bool CapApplied,
    bool ModerationRequired,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RuleTraceEntry> Trace,
    string Summary,
    string RuleSetVersion,
    DateTimeOffset GradedAt)
{
    /// <summary>
    /// The rule ids of the limits that decided the overall grade: those that held it below the base grade, at
    /// the grade it ended on; none when no limit did. Kept with the stored result for the programme report.
    /// </summary>
    public IReadOnlyList<string> DecidingLimits { get; init; } = [];

    /// <summary>
    /// Whether grading decided the same as in <paramref name="other"/>: the grades, status, cap, moderation need and
    /// findings, whatever rule set version, trace, summary wording or time. A re-grade that decides the same changes nothing.
    /// </summary>
    public bool DecidesAsIn(GradingResult other) =>
        (OverallGrade, BaseGrade, MedianGrade, LowestGrade, Status, CapApplied, ModerationRequired)
            == (other.OverallGrade, other.BaseGrade, other.MedianGrade, other.LowestGrade, other.Status, other.CapApplied, other.ModerationRequired)
        && AreaGrades.SequenceEqual(other.AreaGrades)
        && Findings.SequenceEqual(other.Findings);
}
