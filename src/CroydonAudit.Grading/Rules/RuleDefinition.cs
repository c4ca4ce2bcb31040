using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Rules;

/// <summary>One rule's policy, read from its JSON <c>Properties</c>.</summary>
/// <param name="Workflow">The workflow it belongs to.</param>
/// <param name="RuleId">Its <c>RuleName</c>.</param>
/// <param name="Effect">What it does when it fires.</param>
/// <param name="Kind">For a limit: hard or soft.</param>
/// <param name="FixedLimit">For a limit with a <c>limit</c> property: that grade; otherwise the output expression gives it.</param>
/// <param name="RelaxBy">For an override: by how many grades it relaxes each soft limit.</param>
/// <param name="Severity">For a finding rule: its severity.</param>
/// <param name="Message">For a finding rule: the message of each finding.</param>
/// <param name="Explanation">Why it fired, with the audit's values filled in.</param>
/// <param name="GuidanceRef">Where in the guidance it comes from.</param>
public sealed record RuleDefinition(
    string Workflow,
    string RuleId,
    RuleEffect Effect,
    LimitKind Kind,
    Grade FixedLimit,
    int RelaxBy,
    Severity Severity,
    Template Message,
    Template Explanation,
    string GuidanceRef)
{
    /// <summary>
    /// A short name for what the rule checks, in the rule set's own words, for the pages and the programme report;
    /// optional (the guidance reference stands in).
    /// </summary>
    public string? Title { get; init; }
}
