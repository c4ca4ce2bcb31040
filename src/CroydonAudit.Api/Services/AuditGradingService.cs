using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Api.Rules;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.RuleSets.Regrading;
using CroydonAudit.Api.Validation;
using CroydonAudit.Store;
using Grpc.Core;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's GradingService: validate, call the domain and the store, map back.</summary>
public sealed partial class AuditGradingService(ActiveRuleSet rules, RuleSetCoordinator coordinator, AuditStore store, AuditRegrader regrader, TimeProvider clock, ILogger<AuditGradingService> logger)
    : GradingService.GradingServiceBase
{
    /// <inheritdoc />
    public override Task<PreviewGradeResponse> PreviewGrade(PreviewGradeRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        var result = rules.Grader.Grade(request.Audit.ToDomain(), context.CancellationToken);
        return Task.FromResult(new PreviewGradeResponse { Result = result.ToContract() });
    }

    /// <inheritdoc />
    public override async Task<GradeAuditResponse> GradeAudit(GradeAuditRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        var receivedAt = clock.GetUtcNow();
        var submission = request.Audit.ToDomain();
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        var graded = grader.Grade(submission, context.CancellationToken);

        // A call whose deadline passed while it was graded is not queued for writing: its caller has gone.
        context.CancellationToken.ThrowIfCancellationRequested();
        var (result, created) = await store.SaveAsync(submission, graded, receivedAt, context.CancellationToken);
        LogGraded(result.AuditId, result.Revision, created, result.RuleSetVersion, result.OverallGrade,
            string.Join(' ', result.Trace.Where(t => t.Fired).Select(t => t.RuleId)));
        return new GradeAuditResponse { Result = result.ToContract() };
    }

    /// <inheritdoc />
    public override async Task<GetAuditResponse> GetAudit(GetAuditRequest request, ServerCallContext context)
    {
        var (auditId, revision) = AuditQueryValidator.Validate(request);
        var stored = await store.GetAsync(auditId, revision, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, revision == 0
                ? $"There is no audit {auditId}."
                : $"Audit {auditId} has no revision {revision}."));
        return new GetAuditResponse { Audit = stored.ToContract() };
    }

    /// <inheritdoc />
    public override async Task<ListAuditsResponse> ListAudits(ListAuditsRequest request, ServerCallContext context)
    {
        var page = await store.ListAsync(AuditQueryValidator.Validate(request), context.CancellationToken);
        return new ListAuditsResponse
        {
            Audits = { page.Audits.Select(a => a.ToContract()) },
            NextPageToken = page.Next?.Encode() ?? "",
        };
    }

    /// <inheritdoc />
    public override async Task<RegradeAuditResponse> RegradeAudit(RegradeAuditRequest request, ServerCallContext context)
    {
        var (auditId, _) = AuditQueryValidator.Validate(new GetAuditRequest { AuditId = request.AuditId });
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        var (latest, regraded) = await regrader.RegradeAsync(auditId, grader, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no audit {auditId}."));
        return new RegradeAuditResponse { Result = latest.ToContract(), Regraded = regraded };
    }

    /// <inheritdoc />
    public override async Task<RegradeAuditsResponse> RegradeAudits(RegradeAuditsRequest request, ServerCallContext context)
    {
        var filter = RuleSetRequests.Validate(request);
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        var (regraded, remaining) = await regrader.RegradeManyAsync(filter, grader, request.MaxAudits == 0 ? AuditRegrader.DefaultBatch : request.MaxAudits, context.CancellationToken);
        return new RegradeAuditsResponse { RuleSetVersion = grader.RuleSet.Version, Regraded = regraded, Remaining = remaining };
    }

    // The audit's ids and outcome only: never its free text.
    [LoggerMessage(Level = LogLevel.Information, Message = "Graded audit {AuditId} revision {Revision} (new revision: {Created}) by rule set {RuleSetVersion}: {OverallGrade}; rules fired: {FiredRules}")]
    private partial void LogGraded(string auditId, int revision, bool created, string ruleSetVersion, CroydonAudit.Grading.Domain.Grade overallGrade, string firedRules);
}
