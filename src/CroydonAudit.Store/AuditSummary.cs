using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>One line of a listing: the latest revision of an audit.</summary>
/// <param name="AuditId">The audit's id.</param>
/// <param name="Revision">Its latest revision.</param>
/// <param name="CaseReference">The pseudonymous case reference.</param>
/// <param name="AuditorId">Who audited.</param>
/// <param name="Team">The team audited.</param>
/// <param name="OverallGrade">The overall grade.</param>
/// <param name="Status">Complete or incomplete.</param>
/// <param name="ModerationRequired">An override needs moderation.</param>
/// <param name="RuleSetVersion">The rule set that graded it.</param>
/// <param name="Reason">Why the revision was stored.</param>
/// <param name="GradedAt">When it was graded.</param>
/// <param name="Moderated">A moderator has decided on this revision.</param>
/// <param name="FinalGrade">The grade of record: the last moderator's decision, else <paramref name="OverallGrade"/>.</param>
public sealed record AuditSummary(
    string AuditId,
    int Revision,
    string CaseReference,
    string AuditorId,
    string Team,
    Grade OverallGrade,
    AuditStatus Status,
    bool ModerationRequired,
    string RuleSetVersion,
    DateTimeOffset GradedAt,
    RevisionReason Reason,
    bool Moderated,
    Grade FinalGrade);
