using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Api.Validation;
using CroydonAudit.Grading;
using CroydonAudit.Store;
using Grpc.Core;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's GradingService: validate, call the domain and the store, map back.</summary>
public sealed partial class AuditGradingService(AuditGrader grader, AuditStore store, TimeProvider clock, ILogger<AuditGradingService> logger)
    : GradingService.GradingServiceBase
{
    /// <inheritdoc />
    public override Task<PreviewGradeResponse> PreviewGrade(PreviewGradeRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        var result = grader.Grade(request.Audit.ToDomain());
        return Task.FromResult(new PreviewGradeResponse { Result = result.ToContract() });
    }

    /// <inheritdoc />
    public override async Task<GradeAuditResponse> GradeAudit(GradeAuditRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        var receivedAt = clock.GetUtcNow();
        var submission = request.Audit.ToDomain();
        var graded = grader.Grade(submission);
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

    // The audit's ids and outcome only: never its free text.
    [LoggerMessage(Level = LogLevel.Information, Message = "Graded audit {AuditId} revision {Revision} (new revision: {Created}) by rule set {RuleSetVersion}: {OverallGrade}; rules fired: {FiredRules}")]
    private partial void LogGraded(string auditId, int revision, bool created, string ruleSetVersion, CroydonAudit.Grading.Domain.Grade overallGrade, string firedRules);
}
