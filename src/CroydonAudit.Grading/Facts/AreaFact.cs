using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>One of the nine areas as the auditor assessed it (or did not).</summary>
/// <param name="Area">The area.</param>
/// <param name="Label">Its name in words, e.g. "Adult's voice".</param>
/// <param name="Listed">The audit lists the area at all.</param>
/// <param name="NotApplicable">Marked not applicable.</param>
/// <param name="Grade">Its grade, Unspecified when not graded.</param>
/// <param name="Rank">The grade's rank (1 best, 4 worst), 0 when not graded.</param>
/// <param name="Graded">Has a grade and is not marked not applicable.</param>
/// <param name="SignificantConcern">A significant concern was recorded.</param>
/// <param name="Evidence">The evidence text (for a not-applicable area: why).</param>
/// <param name="GoodPractice">The good practice text.</param>
/// <param name="ConcernDetail">The significant concern detail text.</param>
public sealed record AreaFact(
    PracticeArea Area,
    string Label,
    bool Listed,
    bool NotApplicable,
    Grade Grade,
    int Rank,
    bool Graded,
    bool SignificantConcern,
    TextFact Evidence,
    TextFact GoodPractice,
    TextFact ConcernDetail) : IFindingSubject;
