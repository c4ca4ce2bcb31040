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
        AuditSubmissionValidator.CheckId(violations, "audit_id", request.AuditId, restrictCharacters: true);

        if (request.Revision < 0)
        {
            violations.Add(Violation("revision", "must be 0 (the latest) or a revision number from 1."));
        }

        ThrowIfAny(violations);
        return (request.AuditId, request.Revision);
    }

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
        CheckInstant(violations, "graded_from", request.GradedFrom);
        CheckInstant(violations, "graded_to", request.GradedTo);
        if (request.PageSize < 0)
        {
            violations.Add(Violation("page_size", $"must be 0 (the default, {DefaultPageSize}) or more."));
        }

        AuditPageToken? after = null;
        if (request.PageToken.Length > 0 && (request.PageToken.Length > MaxPageTokenLength || !AuditPageToken.TryDecode(request.PageToken, out after) || !IsAuditId(after!.AuditId)))
        {
            violations.Add(Violation("page_token", "is not a token from a previous ListAudits response."));
        }

        ThrowIfAny(violations);
        return new AuditListQuery(
            request.Team,
            request.AuditorId,
            (Domain.Grade)request.OverallGrade,
            request.GradedFrom?.ToDateTimeOffset(),
            request.GradedTo?.ToDateTimeOffset(),
            request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize),
            after);
    }
}
