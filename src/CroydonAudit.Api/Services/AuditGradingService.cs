using CroydonAudit.Store.Contracts;
using Croydon.Audit.V1;
using CroydonAudit.Api.Rules;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.RuleSets.Regrading;
using CroydonAudit.Api.Validation;
using CroydonAudit.Store;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's GradingService: validate, call the domain and the store, map back.</summary>
public sealed partial class AuditGradingService(
    ActiveRuleSet rules, RuleSetCoordinator coordinator, AuditStore store, Store.RuleSets.RuleSetStore ruleSets, AuditRegrader regrader, AccessRecorder access,
    AuditListing listing, TeamNames teams, TimeProvider clock, ILogger<AuditGradingService> logger)
    : GradingService.GradingServiceBase
{
    /// <inheritdoc />
    [Authorize(Policy = Policies.Grade)]
    public override Task<PreviewGradeResponse> PreviewGrade(PreviewGradeRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        OwnTeamOnly(request.Audit, context);
        var grader = rules.Grader;
        var submission = request.Audit.ToDomain();
        InvalidArgument.ThrowIfAny(TemplateAnswers.Validate(request.Audit, grader.RuleSet.Template, submission));
        var result = grader.Grade(submission, context.CancellationToken, context.Deadline);
        return Task.FromResult(new PreviewGradeResponse { Result = result.ToContract() });
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.Grade)]
    public override async Task<GradeAuditResponse> GradeAudit(GradeAuditRequest request, ServerCallContext context)
    {
        InvalidArgument.ThrowIfAny(AuditSubmissionValidator.Validate(request.Audit));
        OwnTeamOnly(request.Audit, context);
        var receivedAt = clock.GetUtcNow();
        var submission = request.Audit.ToDomain();
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        InvalidArgument.ThrowIfAny(TemplateAnswers.Validate(request.Audit, grader.RuleSet.Template, submission));
        var graded = grader.Grade(submission, context.CancellationToken, context.Deadline);

        // A call whose deadline passed while it was graded is not queued for writing: its caller has gone.
        if (context.CancellationToken.IsCancellationRequested || clock.GetUtcNow().UtcDateTime >= context.Deadline)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed before its audit could be stored; nothing was stored."));
        }

        var pending = new PendingRevision(submission, graded, receivedAt) { StoredBy = AccessRecorder.Of(context) };
        var (result, created) = await store.SaveAsync(pending.WithAnswer(grader.RuleSet.Template), context.CancellationToken);
        teams.Noticed(request.Audit.Team);
        // One line per stored audit (identifiers only); the list of fired rules is built only when it is written.
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogGraded(result.AuditId, result.Revision, created, result.RuleSetVersion, result.OverallGrade,
                string.Join(' ', result.Trace.Where(t => t.Fired).Select(t => t.RuleId)));
        }
        return new GradeAuditResponse { Result = result.ToContract() };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadAudits)]
    public override async Task<GetAuditResponse> GetAudit(GetAuditRequest request, ServerCallContext context)
    {
        var (auditId, revision) = AuditQueryValidator.Validate(request);
        // The store records the read (or its refusal) in the access log in the statement that reads it.
        var (stored, allowed) = await store.GetAsync(auditId, revision, AccessRecorder.Of(context), Caller.Of(context).Team, context.CancellationToken)
            ?? throw access.NotFound(context, revision, CallRefusals.NotFound);
        // A gRPC caller reads protobuf (gRPC-Web's text mode too, as base64 of it); REST's JSON is written from the message.
        return allowed
            ? stored!.ToResponse(protobuf: context.GetHttpContext().Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            : throw access.NotFound(context, revision, CallRefusals.Team);
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadAudits)]
    public override async Task<ListAuditsResponse> ListAudits(ListAuditsRequest request, ServerCallContext context)
    {
        var (audits, next) = await listing.ListAsync(AuditQueryValidator.Validate(request), context);
        return new ListAuditsResponse { Audits = { audits }, NextPageToken = next };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadTeams)]
    public override async Task<ListTeamsResponse> ListTeams(ListTeamsRequest request, ServerCallContext context)
    {
        var (listed, truncated) = await teams.ListAsync(context.CancellationToken);
        // A team-limited token learns no other team's name.
        var own = Caller.Of(context).Team;
        return new ListTeamsResponse
        {
            Teams = { listed.Where(t => own is null || t.Team == own).Select(t => new TeamAudits { Team = t.Team, Audits = t.Audits }) },
            Truncated = own is null && truncated,
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override async Task<RegradeAuditResponse> RegradeAudit(RegradeAuditRequest request, ServerCallContext context)
    {
        var (auditId, _) = AuditQueryValidator.Validate(new GetAuditRequest { AuditId = request.AuditId });
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        var outcome = await regrader.RegradeAsync(auditId, grader, AccessRecorder.Of(context), context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no audit {auditId}."));
        if (!outcome.Checked)
        {
            // Nothing graded nor stored, so the store recorded nothing: the caller was shown the latest revision.
            await access.RecordAsync(context, "read", auditId, outcome.After.Revision);
        }
        return new RegradeAuditResponse { Result = outcome.After.ToContract(), Regraded = outcome.Changed, Checked = outcome.Checked };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override async Task<RegradeAuditsResponse> RegradeAudits(RegradeAuditsRequest request, ServerCallContext context)
    {
        var filter = RuleSetRequests.Validate(request);
        var grader = await coordinator.GraderForStoringAsync(context.CancellationToken);
        var summary = await regrader.RegradeManyAsync(
            filter, grader, request.MaxAudits == 0 ? AuditRegrader.DefaultBatch : request.MaxAudits, AccessRecorder.Of(context), context.CancellationToken);
        return new RegradeAuditsResponse
        {
            RuleSetVersion = grader.RuleSet.Version,
            Regraded = summary.Changed,
            Remaining = summary.Remaining,
            Checked = summary.Checked,
            Changed = summary.Changed,
            GradeChanges = { summary.GradeChanges.Select(c => new GradeChange { From = (Grade)c.From, To = (Grade)c.To, Audits = c.Audits }) },
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadTemplate)]
    public override async Task<GetAuditTemplateResponse> GetAuditTemplate(GetAuditTemplateRequest request, ServerCallContext context)
    {
        if (request.RuleSetVersion.Length == 0)
        {
            var active = rules.Grader.RuleSet;
            return new GetAuditTemplateResponse { Template = active.Template.ToContract(active.Version) };
        }

        RuleSetRequests.ValidateVersion("rule_set_version", request.RuleSetVersion);
        var files = await ruleSets.GetFilesAsync(request.RuleSetVersion, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no stored rule set {request.RuleSetVersion}."));
        // A stored version's template was checked when the version was stored: read it again, its rules need not be.
        var template = CroydonAudit.Grading.Templates.TemplateReader.Read(files, [])
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"The template of rule set {request.RuleSetVersion} cannot be read."));
        return new GetAuditTemplateResponse { Template = template.ToContract(request.RuleSetVersion) };
    }

    // A caller whose token names a team (an auditor on the pages) grades that team's audits only.
    private void OwnTeamOnly(AuditSubmission audit, ServerCallContext context)
    {
        if (Caller.Of(context).Team is { } team && audit.Team != team)
        {
            // Nothing was read or stored: the refusal's row need not be waited for.
            access.Refused(context, CallRefusals.Team, audit.AuditId);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"Your token allows audits of the team {team} only."));
        }
    }

    // The audit's ids and outcome only: never its free text.
    [LoggerMessage(Level = LogLevel.Information, Message = "Graded audit {AuditId} revision {Revision} (new revision: {Created}) by rule set {RuleSetVersion}: {OverallGrade}; rules fired: {FiredRules}")]
    private partial void LogGraded(string auditId, int revision, bool created, string ruleSetVersion, CroydonAudit.Grading.Domain.Grade overallGrade, string firedRules);
}
