using Croydon.Audit.V1;
using CroydonAudit.Contracts.Validation;
using static CroydonAudit.Contracts.Validation.FieldViolations;
using static CroydonAudit.Api.Validation.InvalidArgument;

namespace CroydonAudit.Api.Validation;

/// <summary>Checks GetProgrammeReport requests.</summary>
public static class ReportRequests
{
    /// <summary>The period when the request gives no start: the twelve months before its end.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(365);

    /// <summary>The longest period a report covers.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(3653);

    /// <summary>The period [From, To) and team to report on, or INVALID_ARGUMENT naming every field at fault.</summary>
    public static (DateTimeOffset From, DateTimeOffset To, string? Team) Validate(GetProgrammeReportRequest request, DateTimeOffset now)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        CheckInstant(violations, "graded_from", request.GradedFrom);
        CheckInstant(violations, "graded_to", request.GradedTo);
        AuditSubmissionValidator.CheckText(violations, "team", request.Team);
        ThrowIfAny(violations);
        var to = request.GradedTo?.ToDateTimeOffset() ?? now;
        var from = request.GradedFrom?.ToDateTimeOffset() ?? to - DefaultPeriod;
        if (from >= to)
        {
            violations.Add(Violation("graded_from", "must be before graded_to (or before now, when graded_to is not given)."));
        }
        else if (to - from > MaxPeriod)
        {
            violations.Add(Violation("graded_from", "must be at most ten years before graded_to."));
        }

        ThrowIfAny(violations);
        return (from, to, request.Team.Length > 0 ? request.Team : null);
    }
}
