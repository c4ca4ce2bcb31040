using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using Google.Protobuf.WellKnownTypes;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Mapping;

/// <summary>Stored audits and listings as the contract's messages.</summary>
public static class RecordMapping
{
    /// <summary>A stored revision; a submission sent without audited_at shows when it was received.</summary>
    public static V1.AuditRecord ToContract(this StoredAudit stored) => new()
    {
        Submission = (stored.Submission with { AuditedAt = stored.Submission.AuditedAt ?? stored.ReceivedAt }).ToContract(),
        Result = stored.Result.ToContract(),
        ReceivedAt = Timestamp.FromDateTimeOffset(stored.ReceivedAt),
        Reason = (V1.RevisionReason)stored.Reason,
        CallerSubject = stored.CallerSubject,
        CallerClientId = stored.CallerClient,
        ModerationDecisions = { stored.Moderation.Select(ToContract) },
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
    };
}
