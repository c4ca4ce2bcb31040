using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A loaded, checked and compiled rule set. Immutable and built once: every grading reuses its
/// compiled rules; a changed rule set is a new instance with a new <see cref="Version"/>.
/// </summary>
/// <param name="Version">Content hash of the rule files: the same files always give the same version.</param>
/// <param name="Description">What the rule set is, from <c>ruleset.json</c>.</param>
/// <param name="BlandText">When a free text counts as bland.</param>
/// <param name="Rules">Every enabled rule, in evaluation order (the trace's order).</param>
public sealed record RuleSet(string Version, string Description, BlandTextPolicy BlandText, IReadOnlyList<CompiledRule> Rules);
