using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>One stored revision of an audit, exactly as it was graded.</summary>
/// <param name="Submission">The submission as it was sent.</param>
/// <param name="Result">The grading result, trace and all.</param>
/// <param name="ReceivedAt">When this revision was received.</param>
/// <param name="Reason">Why it was stored.</param>
/// <param name="CallerSubject">Who stored it: the authenticated caller's subject.</param>
/// <param name="CallerClient">Through which client application.</param>
public sealed record StoredAudit(AuditSubmission Submission, GradingResult Result, DateTimeOffset ReceivedAt, RevisionReason Reason, string CallerSubject, string CallerClient)
{
    /// <summary>Moderators' decisions on this revision, oldest first: the last stands.</summary>
    public IReadOnlyList<Moderation.ModerationDecision> Moderation { get; init; } = [];
}
