using Croydon.Audit.V1;
using CroydonAudit.Store;
using CroydonAudit.Contracts.Validation;
using static CroydonAudit.Contracts.Validation.FieldViolations;
using static CroydonAudit.Api.Validation.InvalidArgument;
using Domain = CroydonAudit.Grading.Domain;

namespace CroydonAudit.Api.Validation;

/// <summary>Checks GetAudit and ListAudits requests and turns them into store queries.</summary>
public static class AuditQueryValidator
{
    /// <summary>Page size when the caller gives none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page; a larger request is served at this size.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The longest page token this service hands out (an instant and an audit id).</summary>
    public const int MaxPageTokenLength = 128;

    /// <summary>The audit id and revision to read, or INVALID_ARGUMENT.</summary>
    public static (string AuditId, int Revision) Validate(GetAuditRequest request)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        CheckRevisionOf(violations, request.AuditId, request.Revision);
        ThrowIfAny(violations);
        return (request.AuditId, request.Revision);
    }

    // One revision of one audit: an audit id, and 0 (the latest) or a revision number.
    private static void CheckRevisionOf(List<Google.Rpc.BadRequest.Types.FieldViolation> violations, string auditId, int revision)
    {
        AuditSubmissionValidator.CheckId(violations, "audit_id", auditId, restrictCharacters: true);
        if (revision < 0)
        {
            violations.Add(Violation("revision", "must be 0 (the latest) or a revision number from 1."));
        }
    }

    /// <summary>The longest reason a moderator may give.</summary>
    public const int MaxReasonLength = 4_000;

    /// <summary>A moderation decision: the revision, and the final grade (null: agreed) and reason; or INVALID_ARGUMENT.</summary>
    public static (string AuditId, int Revision, Domain.Grade? FinalGrade, string Reason) Validate(RecordModerationDecisionRequest request)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        CheckRevisionOf(violations, request.AuditId, request.Revision);
        switch (request.Outcome)
        {
            case ModerationOutcome.Agreed when request.FinalGrade != Grade.Unspecified:
                violations.Add(Violation("final_grade", "must be empty when the moderator agrees: the rule-derived grade stands."));
                break;
            case ModerationOutcome.GradeChanged when !System.Enum.IsDefined(request.FinalGrade) || request.FinalGrade == Grade.Unspecified:
                violations.Add(Violation("final_grade", "is required when the moderator changes the grade: Outstanding, Good, Requires improvement or Inadequate."));
                break;
            case ModerationOutcome.GradeChanged when string.IsNullOrWhiteSpace(request.Reason):
                violations.Add(Violation("reason", "is required when the moderator changes the grade: say why."));
                break;
            case ModerationOutcome.Agreed or ModerationOutcome.GradeChanged:
                break;
            default:
                violations.Add(Violation("outcome", "must say whether the moderator agreed or changed the grade."));
                break;
        }

        if (request.Reason.Length > MaxReasonLength)
        {
            violations.Add(Violation("reason", $"must be at most {MaxReasonLength:N0} characters, not {request.Reason.Length:N0}."));
        }
        else
        {
            AuditSubmissionValidator.CheckText(violations, "reason", request.Reason);
        }

        ThrowIfAny(violations);
        return (request.AuditId, request.Revision, request.Outcome == ModerationOutcome.GradeChanged ? (Domain.Grade)request.FinalGrade : null, request.Reason);
    }

    /// <summary>The moderation queue's page: the latest revisions needing moderation and having none, oldest first; or INVALID_ARGUMENT.</summary>
    public static AuditListQuery Validate(ListModerationQueueRequest request) =>
        Validate(new ListAuditsRequest { Team = request.Team, PageSize = request.PageSize, PageToken = request.PageToken, AwaitingModeration = true }) with { OldestFirst = true };

    private static bool IsAuditId(string id)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        AuditSubmissionValidator.CheckId(violations, "", id, restrictCharacters: true);
        return violations.Count == 0;
    }

    /// <summary>The listing query, or INVALID_ARGUMENT.</summary>
    public static AuditListQuery Validate(ListAuditsRequest request)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        AuditSubmissionValidator.CheckText(violations, "team", request.Team);
        if (request.AuditorId.Length > 0)
        {
            AuditSubmissionValidator.CheckId(violations, "auditor_id", request.AuditorId, restrictCharacters: false);
        }

        CheckEnum(violations, "overall_grade", request.OverallGrade);
        CheckEnum(violations, "final_grade", request.FinalGrade);
        CheckEnum(violations, "status", request.Status);
        CheckInstant(violations, "graded_from", request.GradedFrom);
        CheckInstant(violations, "graded_to", request.GradedTo);
        if (request.PageSize < 0)
        {
            violations.Add(Violation("page_size", $"must be 0 (the default, {DefaultPageSize}) or more."));
        }

        AuditPageToken? after = null;
        if (request.PageToken.Length > 0 && (request.PageToken.Length > MaxPageTokenLength || !AuditPageToken.TryDecode(request.PageToken, out after) || !IsAuditId(after!.AuditId)))
        {
            violations.Add(Violation("page_token", "is not a token from a previous page of this listing."));
        }

        ThrowIfAny(violations);
        return new AuditListQuery(
            request.Team,
            request.AuditorId,
            (Domain.Grade)request.OverallGrade,
            request.GradedFrom?.ToDateTimeOffset(),
            request.GradedTo?.ToDateTimeOffset(),
            request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize),
            after,
            request.AwaitingModeration,
            request.Status == AuditStatus.Unspecified ? null : (Domain.AuditStatus)request.Status,
            FinalGrade: (Domain.Grade)request.FinalGrade);
    }
}
