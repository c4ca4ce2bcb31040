using System.Globalization;
using Croydon.Audit.V1;
using CroydonAudit.Api.Security;
using CroydonAudit.Api.Validation;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Store.Access;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's AccessLogService: the access log, read for a data protection review (and each review recorded in it).</summary>
public sealed class AccessLogReviewService(AccessLog log, AccessRecorder access) : AccessLogService.AccessLogServiceBase
{
    /// <inheritdoc />
    [Authorize(Policy = Policies.ReviewAccess)]
    public override async Task<ListAccessRecordsResponse> ListAccessRecords(ListAccessRecordsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        if (request.AuditId.Length > 0)
        {
            AuditSubmissionValidator.CheckId(violations, "audit_id", request.AuditId, restrictCharacters: true);
        }

        if (request.Subject.Length > 256 || request.Subject.Contains('\0', StringComparison.Ordinal))
        {
            violations.Add(FieldViolations.Violation("subject", "must be at most 256 characters, without the NUL character."));
        }

        FieldViolations.CheckInstant(violations, "from", request.From);
        FieldViolations.CheckInstant(violations, "to", request.To);
        if (request.PageSize is < 0 or > 500)
        {
            violations.Add(FieldViolations.Violation("page_size", "must be from 0 (the default, 100) to 500."));
        }

        long? before = null;
        if (request.PageToken.Length > 0)
        {
            if (long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                before = id;
            }
            else
            {
                violations.Add(FieldViolations.Violation("page_token", "is not a token from a previous ListAccessRecords response."));
            }
        }

        InvalidArgument.ThrowIfAny(violations);
        // Reading the log is an access too (who looked at whose reads), recorded before it answers; under no audit id, so
        // that a review of an audit's accesses does not list the reviews.
        await access.RecordAsync(context, "read", query:
            $"access log: audit_id={request.AuditId} subject={request.Subject} from={request.From?.ToDateTimeOffset():O} to={request.To?.ToDateTimeOffset():O} page_size={request.PageSize}");
        var (records, next) = await log.ListAsync(
            Blank(request.AuditId), Blank(request.Subject), request.From?.ToDateTimeOffset(), request.To?.ToDateTimeOffset(),
            request.PageSize == 0 ? 100 : request.PageSize, before, context.CancellationToken);
        return new ListAccessRecordsResponse
        {
            Records =
            {
                records.Select(r => new Croydon.Audit.V1.AccessRecord
                {
                    At = Timestamp.FromDateTimeOffset(r.At),
                    Subject = r.Subject,
                    ClientId = r.Client,
                    Roles = { r.Roles },
                    Method = r.Method,
                    Action = r.Action,
                    AuditId = r.AuditId ?? "",
                    Revision = r.Revision ?? 0,
                    Query = r.Query ?? "",
                    Reason = r.Reason ?? "",
                }),
            },
            NextPageToken = next?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;
}
