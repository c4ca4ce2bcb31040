namespace CroydonAudit.Store.RuleSets;

/// <summary>One activation: a rule set became the one every replica grades by.</summary>
/// <param name="Version">The rule set's version.</param>
/// <param name="Label">Its label.</param>
/// <param name="ActivatedAt">When.</param>
/// <param name="ActivatedBy">Who or what activated it.</param>
/// <param name="Source">Where it came from.</param>
public sealed record RuleSetActivation(string Version, string Label, DateTimeOffset ActivatedAt, string ActivatedBy, RuleSetSource Source);

/// <summary>A candidate rule set that was refused, and why.</summary>
/// <param name="Version">The candidate's version, or empty when its rules could not be read.</param>
/// <param name="Label">Its label, when known.</param>
/// <param name="RefusedAt">When.</param>
/// <param name="RefusedBy">Who or what offered it.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Reasons">Why, one line each (file, rule, what is wrong).</param>
public sealed record RuleSetRefusal(string Version, string Label, DateTimeOffset RefusedAt, string RefusedBy, RuleSetSource Source, IReadOnlyList<string> Reasons);

/// <summary>A stored rule set version and its history.</summary>
/// <param name="Version">The version.</param>
/// <param name="Label">Its label.</param>
/// <param name="Description">Its description.</param>
/// <param name="StoredAt">When it was first stored.</param>
/// <param name="Activations">Its activations, newest first.</param>
public sealed record StoredRuleSet(string Version, string Label, string Description, DateTimeOffset StoredAt, IReadOnlyList<RuleSetActivation> Activations);

/// <summary>What an activation came to.</summary>
/// <param name="Active">The active rule set afterwards.</param>
/// <param name="Changed">The candidate became active now; false when it already was, or start-up found it superseded.</param>
public sealed record ActivationOutcome(RuleSetActivation Active, bool Changed);
