using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>What storing a graded audit came to.</summary>
/// <param name="Result">The stored result: the new revision, or the stored one a retry matched.</param>
/// <param name="Created">A new revision was written; false when the content matched the latest revision.</param>
public sealed record SavedRevision(GradingResult Result, bool Created);
