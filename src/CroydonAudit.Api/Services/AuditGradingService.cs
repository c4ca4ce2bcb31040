using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Api.Validation;
using CroydonAudit.Grading;
using Grpc.Core;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's GradingService: validate, call the domain, map back.</summary>
public sealed class AuditGradingService(AuditGrader grader) : GradingService.GradingServiceBase
{
    /// <inheritdoc />
    public override async Task<PreviewGradeResponse> PreviewGrade(PreviewGradeRequest request, ServerCallContext context)
    {
        AuditSubmissionValidator.ThrowIfInvalid(AuditSubmissionValidator.Validate(request.Audit));
        var result = await grader.GradeAsync(request.Audit.ToDomain(), context.CancellationToken);
        return new PreviewGradeResponse { Result = result.ToContract() };
    }
}
