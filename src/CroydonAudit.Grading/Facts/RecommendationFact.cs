using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>One recommendation.</summary>
/// <param name="Label">"recommendation 1", "recommendation 2", …</param>
/// <param name="Text">Facts about its text.</param>
/// <param name="Value">The Croydon value it names.</param>
/// <param name="NamesValue">It names a Croydon value.</param>
public sealed record RecommendationFact(string Label, TextFact Text, CroydonValue Value, bool NamesValue) : IFindingSubject
{
    /// <inheritdoc />
    public PracticeArea Area => PracticeArea.Unspecified;
}
