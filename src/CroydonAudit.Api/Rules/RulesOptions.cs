namespace CroydonAudit.Api.Rules;

/// <summary>Configuration section "Rules": how rule changes are governed.</summary>
public sealed class RulesOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Rules";

    /// <summary>
    /// Only a version approved by a rules approver other than its proposer, or one that was active before (a
    /// rollback), may be activated. Unset: required everywhere but local mode (Auth:Mode=Local), where one person tries things alone.
    /// </summary>
    public bool? RequireApproval { get; set; }
}
