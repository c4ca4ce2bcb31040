using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.WorkedCases;

namespace CroydonAudit.RuleSets.Checking;

/// <summary>
/// How much of a rule set its worked cases hold in place: rules that no case fires, and limits whose
/// grade and kind no case pins (so a change to them would pass unnoticed).
/// </summary>
/// <param name="RulesNeverFired">Rules no worked case fires, in evaluation order.</param>
/// <param name="LimitsNotPinned">Limit rules no worked case pins in its <c>"limits"</c>, in evaluation order.</param>
/// <param name="QuestionsNotRead">
/// The template's questions no rule reads, in the template's order: those it adds to the contract's own (which the
/// audit's facts read), unless marked informational.
/// </param>
public sealed record RuleSetCoverage(IReadOnlyList<string> RulesNeverFired, IReadOnlyList<string> LimitsNotPinned, IReadOnlyList<string> QuestionsNotRead)
{
    /// <summary>Every rule is fired, every limit pinned, by some worked case, and every question that counts is read by a rule.</summary>
    public bool IsComplete => RulesNeverFired.Count == 0 && LimitsNotPinned.Count == 0 && QuestionsNotRead.Count == 0;

    /// <summary>The coverage of a rule set by its cases' results.</summary>
    public static RuleSetCoverage Of(RuleSet ruleSet, IReadOnlyList<WorkedCaseResult> cases)
    {
        var fired = cases.SelectMany(c => c.Fired).ToHashSet(StringComparer.Ordinal);
        var pinned = cases.Where(c => c.Passed).SelectMany(c => c.PinnedLimits).ToHashSet(StringComparer.Ordinal);
        var read = ruleSet.Rules.SelectMany(r => r.QuestionsRead).ToHashSet(StringComparer.Ordinal);
        return new RuleSetCoverage(
            [.. ruleSet.Rules.Select(r => r.RuleId).Where(id => !fired.Contains(id))],
            [.. ruleSet.Rules.Where(r => r.Definition.Effect == RuleEffect.Limit).Select(r => r.RuleId).Where(id => !pinned.Contains(id))],
            [.. ruleSet.Template.Sections.SelectMany(s => s.Questions)
                .Where(q => !q.Informational && Grading.Templates.ContractQuestions.Find(q.Id) is null && !read.Contains(q.Id)).Select(q => q.Id)]);
    }
}
