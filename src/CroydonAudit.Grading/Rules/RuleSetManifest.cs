using System.Text.Json.Serialization;

namespace CroydonAudit.Grading.Rules;

/// <summary>The rule set's <c>ruleset.json</c>: its name, which workflow files run, in order, and the text parameters.</summary>
/// <param name="Schema">The JSON Schema editors check the file against; not used by grading.</param>
/// <param name="Label">A short name for this version of the rules, for people.</param>
/// <param name="Description">What this rule set is, for people.</param>
/// <param name="Workflows">Workflow files, relative to the rules folder, in evaluation order.</param>
/// <param name="BlandText">When a free text counts as bland.</param>
internal sealed record RuleSetManifest(
    [property: JsonPropertyName("$schema")] string? Schema,
    string? Label,
    string? Description,
    IReadOnlyList<string>? Workflows,
    BlandTextParameters? BlandText);

/// <summary>The bland text parameters.</summary>
/// <param name="MinimumWords">A text with fewer words is bland.</param>
/// <param name="Phrases">Texts whose words equal one of these phrases are bland.</param>
internal sealed record BlandTextParameters(int? MinimumWords, IReadOnlyList<string>? Phrases);
