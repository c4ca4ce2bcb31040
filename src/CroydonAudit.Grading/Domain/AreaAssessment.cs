namespace CroydonAudit.Grading.Domain;

/// <summary>The auditor's assessment of one area of best practice.</summary>
/// <param name="Area">The area.</param>
/// <param name="Grade">The area's grade, or <see cref="Grade.Unspecified"/> when not graded.</param>
/// <param name="NotApplicable">The area does not apply to this case file.</param>
/// <param name="Evidence">The evidence for the grade; for a not-applicable area, why.</param>
/// <param name="GoodPractice">Good practice found in this area.</param>
/// <param name="SignificantConcern">A significant concern that the overall grade must reflect.</param>
/// <param name="SignificantConcernDetail">What the concern is.</param>
public sealed record AreaAssessment(
    PracticeArea Area,
    Grade Grade,
    bool NotApplicable,
    string Evidence,
    string GoodPractice,
    bool SignificantConcern,
    string SignificantConcernDetail);
