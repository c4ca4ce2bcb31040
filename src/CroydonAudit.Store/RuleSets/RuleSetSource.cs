namespace CroydonAudit.Store.RuleSets;

/// <summary>Where a rule set came from when it was activated, or refused.</summary>
public enum RuleSetSource
{
    /// <summary>A service found it in its rules folder (at start-up or when the folder changed).</summary>
    RulesFolder,
    /// <summary>Sent to the service (RuleSetService.ActivateRuleSet).</summary>
    Service,
    /// <summary><c>./run.sh rules activate</c>.</summary>
    CommandLine,
}
