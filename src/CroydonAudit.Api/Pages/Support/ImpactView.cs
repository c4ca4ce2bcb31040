using Croydon.Audit.V1;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A rule set's impact on the stored audits as the rules pages show it (the partial _Impact): the counts, a matrix of
/// grades from and to, how often each rule would apply, and whether its worked cases fail.
/// </summary>
/// <param name="Report">PreviewRuleSetImpact's (or ProposeRuleSet's) report.</param>
/// <param name="Rules">The previewed rules, to name them in words; null when they cannot be loaded.</param>
public sealed record ImpactView(RuleSetImpactReport Report, RuleSet? Rules)
{
    /// <summary>Audits moved from one grade to another.</summary>
    public long Moved(Grade from, Grade to) => Report.GradeChanges.Where(c => c.From == from && c.To == to).Sum(c => (long)c.Audits);

    /// <summary>A rule of the previewed rules in words.</summary>
    public string NameOf(string ruleId) =>
        Rules?.Rules.FirstOrDefault(r => r.RuleId == ruleId) is { } rule ? Grading.Text.RuleWords.Name(rule.Definition) : "A rule that is no longer in these rules";
}
