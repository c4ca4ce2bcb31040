using CroydonAudit.Identity;
using Microsoft.AspNetCore.Authorization;

namespace CroydonAudit.Api.Security;

/// <summary>
/// One policy per kind of method, each naming the roles it allows. Deny by default: an endpoint without
/// a policy is refused to everyone (the fallback policy), so a method added without one is never open.
/// </summary>
public static class Policies
{
    /// <summary>PreviewGrade, GradeAudit: case recording systems, and auditors filling in the audit form on the pages (their team's audits only, when their token names one).</summary>
    public const string Grade = "grade";

    /// <summary>GetAudit, ListAudits: auditors and moderators (limited to their team when the token names one).</summary>
    public const string ReadAudits = "read-audits";

    /// <summary>The rule sets' history, status and differences: everyone who works with audits or rules.</summary>
    public const string ReadRuleSets = "read-rule-sets";

    /// <summary>Checking, activating and previewing rule sets, and re-grading: the principal social worker.</summary>
    public const string ChangeRules = "change-rules";

    /// <summary>The audit template: everyone who fills in, reads or governs audits (a case recording system renders its form from it).</summary>
    public const string ReadTemplate = "read-template";

    /// <summary>Approving a rule set someone else proposed: rules approvers.</summary>
    public const string ApproveRules = "approve-rules";

    /// <summary>Moderation decisions and the moderation queue: moderators (limited to their team when the token names one).</summary>
    public const string Moderate = "moderate";

    /// <summary>The programme report: analysts and moderators (limited to their team when the token names one).</summary>
    public const string Report = "report";

    /// <summary>ListTeams: whoever chooses a team in a list's or the report's filter (a team-limited token sees its own).</summary>
    public const string ReadTeams = "read-teams";

    /// <summary>The access log: information governance.</summary>
    public const string ReviewAccess = "review-access";

    /// <summary>Adds the policies.</summary>
    public static AuthorizationBuilder AddCallerPolicies(this AuthorizationBuilder authorization) => authorization
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build())
        .AddPolicy(Grade, policy => policy.RequireRole(Roles.Grader, Roles.Auditor))
        .AddPolicy(ReadAudits, policy => policy.RequireRole(Roles.Auditor, Roles.Moderator))
        .AddPolicy(ReadRuleSets, policy => policy.RequireRole(Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover))
        .AddPolicy(ChangeRules, policy => policy.RequireRole(Roles.RulesAdmin))
        .AddPolicy(ApproveRules, policy => policy.RequireRole(Roles.RulesApprover))
        .AddPolicy(ReadTemplate, policy => policy.RequireRole(Roles.Grader, Roles.Auditor, Roles.Moderator, Roles.Analyst, Roles.RulesAdmin, Roles.RulesApprover))
        .AddPolicy(Moderate, policy => policy.RequireRole(Roles.Moderator))
        .AddPolicy(Report, policy => policy.RequireRole(Roles.Analyst, Roles.Moderator))
        .AddPolicy(ReadTeams, policy => policy.RequireRole(Roles.Auditor, Roles.Moderator, Roles.Analyst))
        .AddPolicy(ReviewAccess, policy => policy.RequireRole(Roles.DataProtection));
}
