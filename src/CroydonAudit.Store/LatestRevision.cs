using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>An audit's latest revision as an impact preview compares it: what was submitted, and what grading decided.</summary>
/// <param name="AuditId">The audit.</param>
/// <param name="Submission">Its latest submission, as sent.</param>
/// <param name="OverallGrade">The stored overall grade.</param>
/// <param name="Status">The stored status.</param>
/// <param name="RuleSetVersion">The rule set that graded it.</param>
/// <param name="FiredRules">The rules that fired, in evaluation order.</param>
public sealed record LatestRevision(string AuditId, AuditSubmission Submission, Grade OverallGrade, AuditStatus Status, string RuleSetVersion, IReadOnlyList<string> FiredRules);
