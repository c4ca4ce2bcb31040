using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Moderation;

/// <summary>A moderator's decision on one revision of an audit.</summary>
/// <param name="AuditId">The audit.</param>
/// <param name="Revision">Its revision.</param>
/// <param name="GradeChanged">False: the rule-derived grade stands (agreed); true: the moderator set <paramref name="FinalGrade"/>.</param>
/// <param name="FinalGrade">The grade that stands.</param>
/// <param name="Reason">The moderator's reason, in their words.</param>
/// <param name="DecidedBy">Who: the token's subject.</param>
/// <param name="DecidedAt">When.</param>
public sealed record ModerationDecision(string AuditId, int Revision, bool GradeChanged, Grade FinalGrade, string Reason, string DecidedBy, DateTimeOffset DecidedAt);
