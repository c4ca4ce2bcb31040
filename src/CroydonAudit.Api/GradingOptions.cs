namespace CroydonAudit.Api;

/// <summary>Configuration section "Grading": where the rules are, and how the service follows changes to them.</summary>
public sealed class GradingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grading";

    /// <summary>The rules folder; a relative path is taken from the content root.</summary>
    public string RulesPath { get; set; } = "rules";

    /// <summary>
    /// Watch the rules folder and propose an edit that passes every check (and record one that does not). Off unless
    /// asked for: an edit is never activated, but a folder that proposes each save is for trying things, not for production.
    /// </summary>
    public bool WatchRulesFolder { get; set; }

    /// <summary>How long the folder must stay unchanged before an edit is read: editors save in several steps.</summary>
    public TimeSpan RulesSettleTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a replica asks the database for the active rule set, in case a notification was missed.</summary>
    public TimeSpan ActiveRuleSetPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much work grading one audit may do, in steps (one per list element a rule looks at); a rule that needs more fails, naming it.</summary>
    public long EvaluationBudgetSteps { get; set; } = Grading.Rules.EvaluationBudget.DefaultSteps;

    /// <summary>How long start-up waits for the database to learn the active rule set before it grades by the folder alone.</summary>
    public TimeSpan StartupStoreTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
