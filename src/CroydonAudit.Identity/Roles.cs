namespace CroydonAudit.Identity;

/// <summary>The roles a token's <c>roles</c> claim can give: each allows exactly its methods, and nothing is allowed without one.</summary>
public static class Roles
{
    /// <summary>Case recording systems: PreviewGrade, GradeAudit.</summary>
    public const string Grader = "grader";

    /// <summary>Auditors: GetAudit, ListAudits, the rule sets' history.</summary>
    public const string Auditor = "auditor";

    /// <summary>Moderators: moderation decisions, and what an auditor may do.</summary>
    public const string Moderator = "moderator";

    /// <summary>The principal social worker: changing, checking, activating rules, impact previews, re-grading.</summary>
    public const string RulesAdmin = "rules-admin";

    /// <summary>A second pair of eyes on rule changes: approves a rule set someone else proposed.</summary>
    public const string RulesApprover = "rules-approver";

    /// <summary>Reports and analysis.</summary>
    public const string Analyst = "analyst";

    /// <summary>Information governance: reads the access log for a data protection review.</summary>
    public const string DataProtection = "data-protection";

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Grader, Auditor, Moderator, RulesAdmin, RulesApprover, Analyst, DataProtection];
}
