namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Rules evaluated by one call to RulesEngine. A workflow is one stage, or two when it has
/// override rules: those run after its other rules, because they look at which limits fired.
/// </summary>
/// <param name="EngineWorkflow">The name registered with RulesEngine.</param>
/// <param name="Rules">The stage's rules, in evaluation order.</param>
public sealed record RuleStage(string EngineWorkflow, IReadOnlyList<RuleDefinition> Rules);
