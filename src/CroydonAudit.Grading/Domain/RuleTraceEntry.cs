namespace CroydonAudit.Grading.Domain;

/// <summary>One evaluated rule, fired or not.</summary>
/// <param name="Workflow">The workflow the rule belongs to.</param>
/// <param name="RuleId">The rule's name.</param>
/// <param name="Fired">Its condition held.</param>
/// <param name="Effect">What it did, e.g. "limited the overall grade to Good".</param>
/// <param name="Explanation">Why, with the audit's own values filled in.</param>
/// <param name="GuidanceRef">Where in the guidance the rule comes from.</param>
/// <param name="Error">Why the rule could not be evaluated; empty when it could.</param>
public sealed record RuleTraceEntry(
    string Workflow,
    string RuleId,
    bool Fired,
    string Effect,
    string Explanation,
    string GuidanceRef,
    string Error);
