using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading;

/// <summary>Writes the plain-English paragraph an auditor reads first.</summary>
public static class GradingSummary
{
    /// <summary>
    /// The summary of a grading; <paramref name="holdingLimits"/> are the explanations of every limit that held the
    /// overall grade where it is (each a sentence in the rule set's own words, never a rule id).
    /// </summary>
    public static string Write(AuditFacts facts, GradingResult result, IReadOnlyList<string> holdingLimits)
    {
        var overall = Words.Of(result.OverallGrade);
        var text = new System.Text.StringBuilder($"Overall grade: {overall}. ");
        text.Append(facts.HasProposedGrade
            ? $"The auditor proposed {Words.Of(facts.ProposedGrade)}"
            : "No overall grade was proposed, so grading started from the median");
        text.Append($"; across {facts.GradedAreaCount} graded area{Plural(facts.GradedAreaCount)} the median is {Words.Of(facts.MedianGrade)}");
        text.Append($" and the lowest is {Words.Of(facts.LowestGrade)} ({facts.LowestAreas}). ");
        text.Append(result.CapApplied
            ? $"The rules held the overall grade at {overall}, below the base grade of {Words.Of(result.BaseGrade)}{Because(holdingLimits)} "
            : $"No rule held the overall grade below the base grade of {Words.Of(result.BaseGrade)}. ");
        if (result.ModerationRequired)
        {
            text.Append("The auditor's override relaxed the soft limits, so the audit needs moderation. ");
        }

        var errors = result.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = result.Findings.Count(f => f.Severity == Severity.Warning);
        text.Append(errors > 0
            ? $"The audit is incomplete: {errors} error{Plural(errors)} to put right"
            : "The audit is complete");
        text.Append(warnings > 0 ? $", and {warnings} warning{Plural(warnings)} to look at." : ".");
        return text.ToString();
    }

    private static string Plural(int count) => count == 1 ? "" : "s";

    private static readonly string[] Counted = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    // ". A significant concern was recorded ..., so it can be at most ... (guidance: ...)." — one sentence per limit.
    private static string Because(IReadOnlyList<string> limits) => limits.Count switch
    {
        0 => ".",
        1 => $". {limits[0]}",
        _ => $", for {(limits.Count < Counted.Length ? Counted[limits.Count] : limits.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} reasons. {string.Join(" ", limits)}",
    };
}
