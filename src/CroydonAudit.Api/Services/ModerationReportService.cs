using CroydonAudit.Store.Contracts;
using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Api.Rules;
using CroydonAudit.Api.Security;
using CroydonAudit.Api.Validation;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using CroydonAudit.Store.Moderation;
using CroydonAudit.Store.Reporting;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CroydonAudit.Api.Services;

/// <summary>
/// The contract's ReportService: the programme report's figures, and moderation (decisions and the queue).
/// </summary>
public sealed class ModerationReportService(ModerationStore moderation, AuditListing listing, ReportStore reports, ActiveRuleSet rules, AccessRecorder access, TimeProvider clock)
    : ReportService.ReportServiceBase
{
    /// <inheritdoc />
    [Authorize(Policy = Policies.Report)]
    public override async Task<GetProgrammeReportResponse> GetProgrammeReport(GetProgrammeReportRequest request, ServerCallContext context)
    {
        var (from, to, asked) = ReportRequests.Validate(request, clock.GetUtcNow());
        var team = await access.LimitToTeamAsync(context, asked);
        var figures = await reports.ReadAsync(from, to, team, context.CancellationToken);
        await access.RecordAsync(context, "read", query: $"programme report: team={team} from={from:O} to={to:O}");
        return new GetProgrammeReportResponse { Report = figures.ToContract(from, to, team, rules.IsLoaded ? rules.Grader.RuleSet : null) };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.Moderate)]
    public override async Task<RecordModerationDecisionResponse> RecordModerationDecision(RecordModerationDecisionRequest request, ServerCallContext context)
    {
        var (auditId, revision, finalGrade, reason) = AuditQueryValidator.Validate(request);

        // The store records the decision, and the access log's record of it (or of its refusal), in one statement.
        var (decision, allowed) = await moderation.RecordAsync(auditId, revision, finalGrade, reason, AccessRecorder.Of(context), Caller.Of(context).Team, context.CancellationToken)
            ?? throw access.NotFound(context, revision, CallRefusals.NotFound);
        return allowed
            ? new RecordModerationDecisionResponse { Decision = decision!.ToContract() }
            : throw access.NotFound(context, revision, CallRefusals.Team);
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.Moderate)]
    public override async Task<ListModerationQueueResponse> ListModerationQueue(ListModerationQueueRequest request, ServerCallContext context)
    {
        var (audits, next) = await listing.ListAsync(AuditQueryValidator.Validate(request), context);
        return new ListModerationQueueResponse { Audits = { audits }, NextPageToken = next };
    }
}
