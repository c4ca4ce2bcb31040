using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>A graded audit waiting to be stored.</summary>
/// <param name="Submission">The submission as sent.</param>
/// <param name="Result">Its grading result (revision 0 until stored).</param>
/// <param name="ReceivedAt">When it was received.</param>
public sealed record PendingRevision(AuditSubmission Submission, GradingResult Result, DateTimeOffset ReceivedAt);
