using Croydon.Audit.V1;
using CroydonAudit.Api.Mapping;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Api.Rules;
using CroydonAudit.Api.Security;
using CroydonAudit.Api.Validation;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Activation;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Diffing;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Services;

/// <summary>The contract's RuleSetService: check, compare, preview, propose, approve and activate rule sets, and their history.</summary>
public sealed class RuleSetLifecycleService(
    ActiveRuleSet rules, RuleSetCoordinator coordinator, RuleSetStore ruleSets, AuditStore audits, AccessRecorder access, IOptions<GradingOptions> options,
    TimeProvider clock)
    : RuleSetService.RuleSetServiceBase
{
    private const int DefaultPageSize = 20;

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadRuleSets)]
    public override async Task<GetActiveRuleSetResponse> GetActiveRuleSet(GetActiveRuleSetRequest request, ServerCallContext context)
    {
        var active = await ruleSets.GetActiveAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "No rule set has been activated yet."));
        var stored = await ruleSets.GetAsync(active.Version, context.CancellationToken);
        return new GetActiveRuleSetResponse { RuleSet = stored!.ToContract(active.Version) };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadRuleSets)]
    public override async Task<ListRuleSetsResponse> ListRuleSets(ListRuleSetsRequest request, ServerCallContext context)
    {
        var after = RuleSetRequests.Validate(request);
        var (page, next) = await ruleSets.ListAsync(request.PageSize == 0 ? DefaultPageSize : request.PageSize, after, context.CancellationToken);
        var active = (await ruleSets.GetActiveAsync(context.CancellationToken))?.Version;
        return new ListRuleSetsResponse
        {
            RuleSets = { page.Select(r => r.ToContract(active)) },
            NextPageToken = next is { } position ? RuleSetRequests.PageToken(position) : "",
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadRuleSets)]
    public override async Task<GetRuleSetResponse> GetRuleSet(GetRuleSetRequest request, ServerCallContext context)
    {
        RuleSetRequests.ValidateVersion("version", request.Version);
        var stored = await ruleSets.GetAsync(request.Version, context.CancellationToken);
        var files = await ruleSets.GetFilesAsync(request.Version, context.CancellationToken);
        if (stored is null || files is null)
        {
            throw NoSuchVersion(request.Version);
        }

        var active = (await ruleSets.GetActiveAsync(context.CancellationToken))?.Version;
        return new GetRuleSetResponse { RuleSet = stored.ToContract(active), Files = { files.ToContract() } };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadRuleSets)]
    public override async Task<GetRuleSetStatusResponse> GetRuleSetStatus(GetRuleSetStatusRequest request, ServerCallContext context)
    {
        var status = new GetRuleSetStatusResponse { ServingVersion = rules.Grader.RuleSet.Version, ApprovalRequired = coordinator.ApprovalRequired };
        try
        {
            if (await ruleSets.GetActiveAsync(context.CancellationToken) is { } active)
            {
                status.Active = active.ToContract();
            }

            var refusal = await ruleSets.GetLastRefusalAsync(context.CancellationToken) ?? coordinator.LastRefusalHere;
            status.LastRefusal = refusal?.ToContract();
        }
        catch (AuditStoreUnavailableException)
        {
            // Without the database, this replica still says what it grades by and what it last refused.
            status.LastRefusal = coordinator.LastRefusalHere?.ToContract();
        }

        return status;
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override Task<CheckRuleSetResponse> CheckRuleSet(CheckRuleSetRequest request, ServerCallContext context)
    {
        var report = RuleSetCheck.Run(Snapshot(request.Files), options.Value.EvaluationBudgetSteps, clock).Report;
        return Task.FromResult(new CheckRuleSetResponse { Report = report.ToContract("the rules sent") });
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override async Task<ProposeRuleSetResponse> ProposeRuleSet(ProposeRuleSetRequest request, ServerCallContext context)
    {
        var result = await coordinator.ProposeAsync(Snapshot(request.Files), Person(context), context.CancellationToken);
        if (result.Refusal is not null)
        {
            InvalidArgument.Throw("files", result.Candidate.Report.Reasons);
        }

        var version = result.Candidate.RuleSet!.Version;
        return new ProposeRuleSetResponse
        {
            RuleSet = await InfoAsync(version, context.CancellationToken),
            Report = result.Candidate.Report.ToContract("the rules sent"),
            Impact = (await ImpactAsync(result.Candidate, new AuditFilter(null, null, null, null), 100, context)).ToContract(new AuditFilter(null, null, null, null)),
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ApproveRules)]
    public override async Task<ApproveRuleSetResponse> ApproveRuleSet(ApproveRuleSetRequest request, ServerCallContext context)
    {
        RuleSetRequests.ValidateVersion("version", request.Version);
        var outcome = await ruleSets.ApproveAsync(request.Version, Person(context), context.CancellationToken);
        return outcome switch
        {
            ApprovalOutcome.NotFound => throw NoSuchVersion(request.Version),
            ApprovalOutcome.NotProposed => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"Rule set {request.Version} was never proposed, so there is nothing to approve: propose it first (./run.sh rules propose).")),
            ApprovalOutcome.OwnProposal => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"You proposed rule set {request.Version}: someone else must approve it.")),
            _ => new ApproveRuleSetResponse { RuleSet = await InfoAsync(request.Version, context.CancellationToken), Changed = outcome == ApprovalOutcome.Approved },
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override async Task<ActivateRuleSetResponse> ActivateRuleSet(ActivateRuleSetRequest request, ServerCallContext context)
    {
        RuleSetRequests.Validate(request);
        ActivationResult result;
        try
        {
            result = request.Version.Length > 0
                ? await coordinator.ActivateStoredAsync(request.Version, Person(context), context.CancellationToken) ?? throw NoSuchVersion(request.Version)
                : await coordinator.ActivateAsync(Snapshot(request.Files), Person(context), context.CancellationToken);
        }
        catch (RuleSetNotApprovedException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Proposed
                ? $"Rule set {e.Version} has not been approved: a rules approver other than its proposer must approve it first (./run.sh rules approve {e.Version}). Nothing changed."
                : $"Rule set {e.Version} was never proposed or approved: propose it (./run.sh rules propose), and have a rules approver approve it. Nothing changed."));
        }

        if (result.Outcome is null)
        {
            InvalidArgument.Throw(request.Version.Length > 0 ? "version" : "files", result.Candidate.Report.Reasons);
        }

        return new ActivateRuleSetResponse
        {
            Active = result.Outcome.Active.ToContract(),
            Changed = result.Outcome.Changed,
            Report = result.Candidate.Report.ToContract(request.Version.Length > 0 ? $"version {request.Version}" : "the rules sent"),
        };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ChangeRules)]
    public override async Task<PreviewRuleSetImpactResponse> PreviewRuleSetImpact(PreviewRuleSetImpactRequest request, ServerCallContext context)
    {
        var filter = RuleSetRequests.Validate(request);
        var candidate = RuleSetCheck.Run(Snapshot(request.Files), options.Value.EvaluationBudgetSteps, clock);
        if (candidate.RuleSet is null)
        {
            InvalidArgument.Throw("files", candidate.Report.Problems.Select(p => p.ToString()));
        }

        var impact = await ImpactAsync(candidate, filter, request.MaxChangedAuditIds == 0 ? 100 : request.MaxChangedAuditIds, context);
        return new PreviewRuleSetImpactResponse { Report = impact.ToContract(filter) };
    }

    /// <inheritdoc />
    [Authorize(Policy = Policies.ReadRuleSets)]
    public override async Task<DiffRuleSetsResponse> DiffRuleSets(DiffRuleSetsRequest request, ServerCallContext context)
    {
        RuleSetRequests.Validate(request);
        var from = await Side("from", request.FromVersion, request.FromFiles, context.CancellationToken);
        var to = await Side("to", request.ToVersion, request.ToFiles, context.CancellationToken);
        var changes = RuleSetDiff.Compare(from.Files, to.Files);
        return new DiffRuleSetsResponse { Changes = { changes.ToContract() }, Text = RuleSetDiff.ToText(changes, from.Name, to.Name) };
    }

    // Re-grades the stored audits the filter selects with the candidate, writing nothing; the read is in the access log.
    private async Task<RuleSetImpact> ImpactAsync(CheckedRuleSet candidate, AuditFilter filter, int maxChangedAuditIds, ServerCallContext context)
    {
        try
        {
            await access.RecordAsync(context, "read", query: $"impact preview of {candidate.RuleSet!.Version}: team={filter.Team} auditor={filter.AuditorId} from={filter.GradedFrom:O} to={filter.GradedTo:O}");
            return await ImpactPreview.RunAsync(candidate, audits.StreamLatestAsync(filter, context.CancellationToken), maxChangedAuditIds, context.CancellationToken, clock);
        }
        catch (Exception e) when (Store.Resilience.StoreResilience.IsTransient(e) && !context.CancellationToken.IsCancellationRequested)
        {
            throw new AuditStoreUnavailableException(e);
        }
    }

    private async Task<RuleSetInfo> InfoAsync(string version, CancellationToken cancellationToken)
    {
        var stored = await ruleSets.GetAsync(version, cancellationToken) ?? throw NoSuchVersion(version);
        return stored.ToContract((await ruleSets.GetActiveAsync(cancellationToken))?.Version);
    }

    // Who proposes, approves or activates: the verified token's subject, the same whatever client they call through, so
    // that "never the proposer" compares like with like.
    private static string Person(ServerCallContext context) => Caller.Of(context).Subject;

    private static RpcException NoSuchVersion(string version) => new(new Status(StatusCode.NotFound, $"There is no stored rule set {version}."));

    private async Task<(RuleSetFiles Files, string Name)> Side(string side, string version, IEnumerable<RuleFile> files, CancellationToken cancellationToken) =>
        version.Length > 0
            ? (await ruleSets.GetFilesAsync(version, cancellationToken) ?? throw NoSuchVersion(version), $"version {version}")
            : (Snapshot(files, $"{side}_files"), $"the {side} files");

    private static RuleSetFiles Snapshot(IEnumerable<RuleFile> files, string field = "files")
    {
        try
        {
            return files.ToSnapshot();
        }
        catch (RuleSetException e)
        {
            InvalidArgument.Throw(field, e.Problems.Select(p => p.ToString()));
            throw;
        }
    }
}
