namespace CroydonAudit.Grading.Domain;

/// <summary>One recommendation, in line with one of Croydon's values.</summary>
/// <param name="Text">The recommendation.</param>
/// <param name="Value">The Croydon value it is in line with.</param>
public sealed record Recommendation(string Text, CroydonValue Value);
