using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>Plain facts about one free text of the audit, never the text itself.</summary>
/// <param name="Label">Its name in messages, e.g. "Assessment evidence" or "strengths".</param>
/// <param name="Area">The area it belongs to, or Unspecified.</param>
/// <param name="IsEmpty">Nothing but white space.</param>
/// <param name="Words">How many words it has.</param>
/// <param name="IsBland">It says nothing specific.</param>
public sealed record TextFact(string Label, PracticeArea Area, bool IsEmpty, int Words, bool IsBland) : IFindingSubject;
