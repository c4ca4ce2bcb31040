using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Api.Security;
using CroydonAudit.Api.Validation;
using CroydonAudit.Store;
using CroydonAudit.Store.Moderation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CroydonAudit.Api.Services;

/// <summary>
/// The contract's ReportService: moderation (decisions and the queue). The programme report's figures are to come.
/// </summary>
public sealed class ModerationReportService(ModerationStore moderation, AuditStore store, AccessRecorder access) : ReportService.ReportServiceBase
{
    /// <inheritdoc />
    [Authorize(Policy = Policies.Moderate)]
    public override async Task<RecordModerationDecisionResponse> RecordModerationDecision(RecordModerationDecisionRequest request, ServerCallContext context)
    {
        var (auditId, revision, finalGrade, reason) = AuditQueryValidator.Validate(request);

        // The store records the decision, and the access log's record of it (or of its refusal), in one statement.
        var (decision, allowed) = await moderation.RecordAsync(auditId, revision, finalGrade, reason, AccessRecorder.Of(context), Caller.Of(context).Team, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, revision == 0 ? $"There is no audit {auditId}." : $"Audit {auditId} has no revision {revision}."));
        return allowed
            ? new RecordModerationDecisionResponse { Decision = decision!.ToContract() }
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "This audit belongs to another team than the one your access is for."));
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.Moderate)]
    public override async Task<ListModerationQueueResponse> ListModerationQueue(ListModerationQueueRequest request, ServerCallContext context)
    {
        var query = AuditQueryValidator.Validate(request);
        if (Caller.Of(context).Team is { } team)
        {
            // A moderator limited to a team sees only that team's queue, whether or not it asked for it.
            query = string.IsNullOrEmpty(query.Team) || query.Team == team
                ? query with { Team = team }
                : throw await access.DeniedAsync(context, "Your access is for another team's audits.", query: $"team={query.Team}");
        }

        var page = await store.ListAsync(query, context.CancellationToken);
        await access.RecordAsync(context, "read", query: $"moderation queue team={query.Team} page_size={query.PageSize}");
        return new ListModerationQueueResponse
        {
            Audits = { page.Audits.Select(a => a.ToContract()) },
            NextPageToken = page.Next?.Encode() ?? "",
        };
    }
}
