using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading.Text;

/// <summary>A rule in words, for people reading the rules: its name and what it does, never its id.</summary>
public static class RuleWords
{
    /// <summary>The rule's title, or where in the guidance it comes from when it has none.</summary>
    public static string Name(RuleDefinition rule) => rule.Title ?? $"A rule from the guidance ({rule.GuidanceRef})";

    /// <summary>What the rule does when it applies: "Limits the overall grade to at most Good; an override can relax it".</summary>
    public static string WhatItDoes(RuleDefinition rule) => rule.Effect switch
    {
        RuleEffect.Base => "Sets the base grade the overall grade starts from",
        RuleEffect.Limit => $"Limits the overall grade to at most {(rule.FixedLimit == Grade.Unspecified ? "a grade it works out" : Words.Of(rule.FixedLimit))}; "
            + (rule.Kind == LimitKind.Hard ? "an override never relaxes it" : "an auditor's override can relax it"),
        RuleEffect.Override => $"Relaxes each soft limit by {rule.RelaxBy} grade{(rule.RelaxBy == 1 ? "" : "s")}, and the audit then needs moderation",
        _ => $"Raises {(rule.Severity == Severity.Error ? "an error to put right" : rule.Severity == Severity.Warning ? "a warning to look at" : "a note for information")}",
    };

    /// <summary>When the rule applies, in a sentence: "Applies when any area has a significant concern."</summary>
    public static string AppliesWhen(CompiledRule rule, Templates.AuditTemplate template) =>
        rule.IsAlwaysTrue ? "Applies to every audit."
        : ConditionWords.IsNeverTrue(rule) ? "Never applies."
        : $"Applies when {ConditionWords.Of(rule, template)}.";

    /// <summary>For a rule that did not apply, what would have made it: "Would apply if advocacy is “Required, not provided”."</summary>
    public static string WouldApplyIf(CompiledRule rule, Templates.AuditTemplate template) =>
        ConditionWords.IsNeverTrue(rule) ? "Never applies." : $"Would apply if {ConditionWords.Of(rule, template)}.";
}
