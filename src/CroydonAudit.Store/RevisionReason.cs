namespace CroydonAudit.Store;

/// <summary>Why a revision was stored (the contract's RevisionReason shares these numbers).</summary>
public enum RevisionReason : short
{
    /// <summary>Not recorded.</summary>
    Unspecified = 0,
    /// <summary>GradeAudit with new content.</summary>
    NewContent = 1,
    /// <summary>RegradeAudit: the same submission, graded by a rule set activated since.</summary>
    RuleSetChanged = 2,
}
