namespace CroydonAudit.RuleSets.Diffing;

/// <summary>What changed in one rule, or (with no rule) in the rule set as a whole.</summary>
/// <param name="RuleId">The rule's name; null for the rule set as a whole.</param>
/// <param name="File">The file it is in (its new file, when moved).</param>
/// <param name="Changes">Each change in words, e.g. "limit Good → Requires improvement".</param>
public sealed record RuleChange(string? RuleId, string File, IReadOnlyList<string> Changes);
