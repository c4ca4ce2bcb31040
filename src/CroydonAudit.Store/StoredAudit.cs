using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store;

/// <summary>One stored revision of an audit, exactly as it was graded.</summary>
/// <remarks>
/// Its submission and result are read back only when first asked for — from <see cref="Answer"/> when the revision
/// has one, else from its JSON documents: GetAudit answers from the answer as it is, and never needs them.
/// </remarks>
public sealed class StoredAudit
{
    private readonly Lazy<(AuditSubmission Submission, GradingResult Result)> _documents;

    internal StoredAudit(
        int revision, IReadOnlyList<RuleTraceEntry> trace, DateTimeOffset receivedAt, RevisionReason reason, string callerSubject, string callerClient,
        byte[]? answer, Func<(AuditSubmission, GradingResult)> documents)
    {
        Revision = revision;
        Trace = trace;
        ReceivedAt = receivedAt;
        Reason = reason;
        CallerSubject = callerSubject;
        CallerClient = callerClient;
        Answer = answer;
        _documents = new(documents);
    }

    /// <summary>The submission as it was sent.</summary>
    public AuditSubmission Submission => _documents.Value.Submission;

    /// <summary>The grading result, trace and all.</summary>
    public GradingResult Result => _documents.Value.Result;

    /// <summary>This revision's number.</summary>
    public int Revision { get; }

    /// <summary>Every rule of the revision's rule set, in evaluation order, with what it did for this audit.</summary>
    public IReadOnlyList<RuleTraceEntry> Trace { get; }

    /// <summary>When this revision was received.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Why it was stored.</summary>
    public RevisionReason Reason { get; }

    /// <summary>Who stored it: the authenticated caller's subject.</summary>
    public string CallerSubject { get; }

    /// <summary>Through which client application.</summary>
    public string CallerClient { get; }

    /// <summary>
    /// The answer stored with the revision (<see cref="PendingRevision.Answer"/>), as the service wrote it, or null
    /// for revisions stored without one (before V15): those are answered from <see cref="Submission"/> and <see cref="Result"/>.
    /// </summary>
    public byte[]? Answer { get; }

    /// <summary>Moderators' decisions on this revision, oldest first: the last stands.</summary>
    public IReadOnlyList<Moderation.ModerationDecision> Moderation { get; init; } = [];
}
