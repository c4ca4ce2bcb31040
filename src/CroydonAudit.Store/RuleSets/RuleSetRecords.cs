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
/// <param name="History">Who proposed, approved and activated it, and when, oldest first.</param>
/// <param name="WorkedCases">How many worked cases are stored with it.</param>
public sealed record StoredRuleSet(
    string Version, string Label, string Description, DateTimeOffset StoredAt, IReadOnlyList<RuleSetActivation> Activations,
    IReadOnlyList<RuleSetEvent> History, int WorkedCases)
{
    /// <summary>Approved by someone other than its proposer (the store refuses any other approval).</summary>
    public bool Approved => History.Any(e => e.Step == RuleSetStep.Approved);
}

/// <summary>A step in a rule set's life.</summary>
public enum RuleSetStep
{
    /// <summary>Proposed for activation.</summary>
    Proposed = 1,
    /// <summary>Approved by someone other than its proposer.</summary>
    Approved = 2,
    /// <summary>Made the rule set every replica grades by.</summary>
    Activated = 3,
}

/// <summary>One step in a rule set's life: what, by whom, when.</summary>
/// <param name="Step">What.</param>
/// <param name="By">Who: a token's subject, or a host's rules folder.</param>
/// <param name="At">When.</param>
public sealed record RuleSetEvent(RuleSetStep Step, string By, DateTimeOffset At);

/// <summary>What must hold for an activation to go ahead, decided under the activation lock.</summary>
public enum ActivationGuard
{
    /// <summary>Nothing: approval is not required.</summary>
    None,
    /// <summary>Only while no rule set has ever been active: a service's first rules, from its folder.</summary>
    NothingActive,
    /// <summary>Only a version approved by someone other than its proposer, or one that was active before (a rollback).</summary>
    ApprovedOrActiveBefore,
}

/// <summary>What approving a version came to.</summary>
public enum ApprovalOutcome
{
    /// <summary>Approved now.</summary>
    Approved,
    /// <summary>This person had approved it already; nothing more was recorded.</summary>
    AlreadyApproved,
    /// <summary>There is no such stored version.</summary>
    NotFound,
    /// <summary>It was never proposed, so there is nothing to approve.</summary>
    NotProposed,
    /// <summary>The approver proposed it: someone else must approve.</summary>
    OwnProposal,
}

/// <summary>An activation refused because the version needs an approval it does not have.</summary>
/// <param name="version">The version.</param>
/// <param name="proposed">Whether it was ever proposed.</param>
public sealed class RuleSetNotApprovedException(string version, bool proposed)
    : Exception($"Rule set {version} cannot be activated: it {(proposed ? "has not been approved" : "was never proposed")}.")
{
    /// <summary>The version.</summary>
    public string Version { get; } = version;

    /// <summary>Whether it was ever proposed.</summary>
    public bool Proposed { get; } = proposed;
}

/// <summary>What an activation came to.</summary>
/// <param name="Active">The active rule set afterwards.</param>
/// <param name="Changed">The candidate became active now; false when it already was, or start-up found it superseded.</param>
public sealed record ActivationOutcome(RuleSetActivation Active, bool Changed);
