using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>One key evidence field and whether the auditor recorded it.</summary>
/// <param name="Label">The field in words, e.g. "mental capacity".</param>
/// <param name="Recorded">A value other than unspecified was given.</param>
public sealed record KeyEvidenceFact(string Label, bool Recorded) : IFindingSubject
{
    /// <inheritdoc />
    public PracticeArea Area => PracticeArea.Unspecified;
}
