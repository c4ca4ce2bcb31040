using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A loaded, checked and compiled rule set. Immutable and built once: every grading reuses its
/// compiled rules; a changed rule set is a new instance with a new <see cref="Version"/>.
/// </summary>
/// <param name="Version">Content hash of the rule files: the same files always give the same version.</param>
/// <param name="Label">A short name for this version, from <c>ruleset.json</c>.</param>
/// <param name="Description">What the rule set is, from <c>ruleset.json</c>.</param>
/// <param name="BlandText">When a free text counts as bland.</param>
/// <param name="Rules">Every enabled rule, in evaluation order (the trace's order).</param>
/// <param name="Files">The files that decide grades and make the version: <c>ruleset.json</c>, the workflow files and <c>template.json</c>.</param>
/// <param name="Template">The audit template its rules read answers against.</param>
public sealed record RuleSet(string Version, string Label, string Description, BlandTextPolicy BlandText, IReadOnlyList<CompiledRule> Rules, RuleSetFiles Files, Templates.AuditTemplate Template);
