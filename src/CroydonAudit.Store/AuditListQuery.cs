using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>Which audits to list, and which page.</summary>
/// <param name="Team">Only this team's audits, if given.</param>
/// <param name="AuditorId">Only this auditor's audits, if given.</param>
/// <param name="OverallGrade">Only audits the rules graded this, unless Unspecified.</param>
/// <param name="GradedFrom">Graded at or after this instant, if given.</param>
/// <param name="GradedTo">Graded before this instant, if given.</param>
/// <param name="PageSize">How many audits per page.</param>
/// <param name="After">Where the previous page ended, if this is not the first page.</param>
/// <param name="AwaitingModeration">Only audits whose latest revision needs moderation and has none yet.</param>
/// <param name="Status">Only audits with this status, if given.</param>
/// <param name="OldestFirst">Oldest first (the moderation queue), rather than newest first.</param>
/// <param name="FinalGrade">Only audits whose grade of record (a moderator's decision, else the rules') is this, unless Unspecified.</param>
public sealed record AuditListQuery(
    string? Team,
    string? AuditorId,
    Grade OverallGrade,
    DateTimeOffset? GradedFrom,
    DateTimeOffset? GradedTo,
    int PageSize,
    AuditPageToken? After,
    bool AwaitingModeration = false,
    AuditStatus? Status = null,
    bool OldestFirst = false,
    Grade FinalGrade = Grade.Unspecified);
