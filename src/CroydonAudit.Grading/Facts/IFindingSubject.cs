using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// Something a finding can be about: an area, a text, a key evidence field, a recommendation.
/// A finding rule's output expression lists the subjects it raises one finding for.
/// </summary>
public interface IFindingSubject
{
    /// <summary>How the subject is named in messages, e.g. "Assessment evidence".</summary>
    string Label { get; }

    /// <summary>The area it belongs to, or Unspecified.</summary>
    PracticeArea Area { get; }
}
