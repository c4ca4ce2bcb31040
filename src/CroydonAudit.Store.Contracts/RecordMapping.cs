using CroydonAudit.Store;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store.Access;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Store.Contracts;

/// <summary>Stored audits and listings as the contract's messages.</summary>
public static class RecordMapping
{
    /// <summary>
    /// A stored revision, as GetAudit answers it: from the answer stored with it when it has one (its revision number,
    /// trace and moderation merged in: <see cref="Completion"/>), else from its documents. Both give the same message,
    /// byte for byte.
    /// </summary>
    public static V1.AuditRecord ToContract(this StoredAudit stored)
    {
        if (stored.Answer is { } answer)
        {
            var record = V1.AuditRecord.Parser.ParseFrom(answer);
            record.MergeFrom(stored.Completion());
            record.FinalGrade = V1.AuditRecordGrades.Final(record.ModerationDecisions, record.Result.OverallGrade);
            return record;
        }

        var fromDocuments = Record(stored.Submission, stored.Result, stored.ReceivedAt, stored.Reason, stored.CallerSubject, stored.CallerClient);
        fromDocuments.ModerationDecisions.Add(stored.Moderation.Select(ToContract));
        fromDocuments.FinalGrade = V1.AuditRecordGrades.Final(fromDocuments.ModerationDecisions, fromDocuments.Result.OverallGrade);
        return fromDocuments;
    }

    /// <summary>
    /// GetAudit's response for a stored revision. To a caller reading protobuf (<paramref name="protobuf"/>), a
    /// revision stored with its answer is sent as the answer's bytes with its revision number, trace and moderation
    /// spliced in (<see cref="V1.GetAuditResponse.Splicing"/>): the bytes <see cref="ToContract(StoredAudit)"/>'s
    /// message is written as, without parsing the answer and writing it again for every read.
    /// </summary>
    public static V1.GetAuditResponse ToResponse(this StoredAudit stored, bool protobuf) =>
        (protobuf && stored.Answer is { } answer
            ? V1.GetAuditResponse.Splicing(answer, stored.Revision, stored.Trace.ToContract(), stored.Moderation.Select(ToContract))
            : null)
        ?? new V1.GetAuditResponse { Audit = stored.ToContract() };

    // What a stored answer lacks: the revision's number, its trace and moderators' decisions (merged into it: a
    // repeated field's entries are added, a set field replaces the answer's unset one).
    private static V1.AuditRecord Completion(this StoredAudit stored) => new()
    {
        Result = new V1.GradingResult { Revision = stored.Revision, Trace = { stored.Trace.ToContract() } },
        ModerationDecisions = { stored.Moderation.Select(ToContract) },
    };

    /// <summary>
    /// A revision about to be stored, with the answer GetAudit will give for it (<c>Answer</c>), its answered
    /// questions in the words of <paramref name="template"/>, the template it was graded against.
    /// </summary>
    public static PendingRevision WithAnswer(this PendingRevision pending, CroydonAudit.Grading.Templates.AuditTemplate? template = null) =>
        pending with { Answer = Answer(pending.Submission, pending.Result, pending.ReceivedAt, pending.Reason, pending.StoredBy, template) };

    /// <summary>
    /// What GetAudit will answer for a revision made of these parts, less what is known or complete only later (its
    /// revision number, its trace, moderators' decisions): kept with it (<see cref="PendingRevision.Answer"/>). An
    /// <see cref="AnswerMaker"/>.
    /// </summary>
    /// <remarks>Its time of receipt is PostgreSQL's, to the microsecond, as the revision's column keeps it.</remarks>
    public static byte[] Answer(
        CroydonAudit.Grading.Domain.AuditSubmission submission, CroydonAudit.Grading.Domain.GradingResult result, DateTimeOffset receivedAt, RevisionReason reason, Accessor storedBy) =>
        Answer(submission, result, receivedAt, reason, storedBy, null);

    /// <summary>An answer (<see cref="Answer(CroydonAudit.Grading.Domain.AuditSubmission, CroydonAudit.Grading.Domain.GradingResult, DateTimeOffset, RevisionReason, Accessor)"/>) with its answered questions in a template's words.</summary>
    public static byte[] Answer(
        CroydonAudit.Grading.Domain.AuditSubmission submission, CroydonAudit.Grading.Domain.GradingResult result, DateTimeOffset receivedAt, RevisionReason reason, Accessor storedBy,
        CroydonAudit.Grading.Templates.AuditTemplate? template)
    {
        receivedAt = receivedAt.AddTicks(-(receivedAt.Ticks % TimeSpan.TicksPerMicrosecond));
        var record = Record(submission, result with { Revision = 0, Trace = [] }, receivedAt, reason, storedBy.Subject, storedBy.Client);
        // A rule set without template.json asks the contract's own questions: its answers read as they always did.
        if (template is { Version.Length: > 0 })
        {
            record.Answered.Add(template.Answered(submission));
            record.TemplateVersion = template.Version;
        }

        return record.ToByteArray();
    }

    /// <summary>
    /// What a stored answer (<c>Answer</c>) was made of, in the grading library's types: an <see cref="AnswerReader"/>.
    /// The result comes without its trace and revision number, as the answer holds it; a submission sent without
    /// audited_at comes with its time of receipt there, as GetAudit shows it (grading never reads it).
    /// </summary>
    public static (CroydonAudit.Grading.Domain.AuditSubmission Submission, CroydonAudit.Grading.Domain.GradingResult Result) Documents(byte[] answer)
    {
        var record = V1.AuditRecord.Parser.ParseFrom(answer);
        return (record.Submission.ToDomain(), record.Result.ToDomain());
    }

    // A submission sent without audited_at shows when it was received.
    private static V1.AuditRecord Record(
        CroydonAudit.Grading.Domain.AuditSubmission submission, CroydonAudit.Grading.Domain.GradingResult result, DateTimeOffset receivedAt, RevisionReason reason,
        string callerSubject, string callerClient) => new()
    {
        Submission = (submission with { AuditedAt = submission.AuditedAt ?? receivedAt }).ToContract(),
        Result = result.ToContract(),
        ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
        Reason = (V1.RevisionReason)reason,
        CallerSubject = callerSubject,
        CallerClientId = callerClient,
    };

    /// <summary>A moderator's decision.</summary>
    public static V1.ModerationDecision ToContract(this CroydonAudit.Store.Moderation.ModerationDecision decision) => new()
    {
        AuditId = decision.AuditId,
        Revision = decision.Revision,
        Outcome = decision.GradeChanged ? V1.ModerationOutcome.GradeChanged : V1.ModerationOutcome.Agreed,
        FinalGrade = (V1.Grade)decision.FinalGrade,
        Reason = decision.Reason,
        DecidedBy = decision.DecidedBy,
        DecidedAt = Timestamp.FromDateTimeOffset(decision.DecidedAt),
    };

    /// <summary>One line of a listing.</summary>
    public static V1.AuditSummary ToContract(this AuditSummary summary) => new()
    {
        AuditId = summary.AuditId,
        Revision = summary.Revision,
        CaseReference = summary.CaseReference,
        AuditorId = summary.AuditorId,
        Team = summary.Team,
        OverallGrade = (V1.Grade)summary.OverallGrade,
        Status = (V1.AuditStatus)summary.Status,
        ModerationRequired = summary.ModerationRequired,
        RuleSetVersion = summary.RuleSetVersion,
        GradedAt = Timestamp.FromDateTimeOffset(summary.GradedAt),
        Reason = (V1.RevisionReason)summary.Reason,
        Moderated = summary.Moderated,
        FinalGrade = (V1.Grade)summary.FinalGrade,
    };
}
