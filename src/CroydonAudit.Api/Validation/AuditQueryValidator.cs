using Croydon.Audit.V1;
using CroydonAudit.Store;
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

    /// <summary>The audit id and revision to read, or INVALID_ARGUMENT.</summary>
    public static (string AuditId, int Revision) Validate(GetAuditRequest request)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        if (string.IsNullOrEmpty(request.AuditId))
        {
            violations.Add(Violation("audit_id", "is required."));
        }

        if (request.Revision < 0)
        {
            violations.Add(Violation("revision", "must be 0 (the latest) or a revision number from 1."));
        }

        ThrowIfAny(violations);
        return (request.AuditId, request.Revision);
    }

    /// <summary>The listing query, or INVALID_ARGUMENT.</summary>
    public static AuditListQuery Validate(ListAuditsRequest request)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        CheckEnum(violations, "overall_grade", request.OverallGrade);
        CheckInstant(violations, "graded_from", request.GradedFrom);
        CheckInstant(violations, "graded_to", request.GradedTo);
        if (request.PageSize < 0)
        {
            violations.Add(Violation("page_size", $"must be 0 (the default, {DefaultPageSize}) or more."));
        }

        AuditPageToken? after = null;
        if (request.PageToken.Length > 0 && !AuditPageToken.TryDecode(request.PageToken, out after))
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
