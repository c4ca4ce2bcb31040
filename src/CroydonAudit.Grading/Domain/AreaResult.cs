namespace CroydonAudit.Grading.Domain;

/// <summary>One area's grade as graded.</summary>
/// <param name="Area">The area.</param>
/// <param name="Grade">Its grade; Unspecified when not graded.</param>
/// <param name="NotApplicable">The area does not apply.</param>
public sealed record AreaResult(PracticeArea Area, Grade Grade, bool NotApplicable);
