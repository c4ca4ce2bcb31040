namespace CroydonAudit.Grading.Rules;

/// <summary>The rule set's <c>ruleset.json</c>: which workflow files run, in order, and the text parameters.</summary>
/// <param name="Description">What this rule set is, for people.</param>
/// <param name="Workflows">Workflow files, relative to the rules folder, in evaluation order.</param>
/// <param name="BlandText">When a free text counts as bland.</param>
internal sealed record RuleSetManifest(string? Description, IReadOnlyList<string>? Workflows, BlandTextParameters? BlandText);

/// <summary>The bland text parameters.</summary>
/// <param name="MinimumWords">A text with fewer words is bland.</param>
/// <param name="Phrases">Texts whose words equal one of these phrases are bland.</param>
internal sealed record BlandTextParameters(int? MinimumWords, IReadOnlyList<string>? Phrases);
