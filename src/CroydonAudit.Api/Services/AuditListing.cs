using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using CroydonAudit.Store.Contracts;
using Grpc.Core;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Services;

/// <summary>Audits listed as their caller may see them: ListAudits and the moderation queue.</summary>
public sealed class AuditListing(AuditStore store, AccessRecorder access)
{
    /// <summary>
    /// One page of <paramref name="query"/>, limited to the caller's team when its token names one (whether or not it
    /// asked: asking for another team is PERMISSION_DENIED, recorded), recorded in the access log as a read.
    /// </summary>
    public async Task<(IEnumerable<V1.AuditSummary> Audits, string NextPageToken)> ListAsync(AuditListQuery query, ServerCallContext context)
    {
        query = query with { Team = await access.LimitToTeamAsync(context, query.Team) ?? "" };
        var page = await store.ListAsync(query, context.CancellationToken);
        await access.RecordAsync(context, "read", query: Describe(query));
        return (page.Audits.Select(a => a.ToContract()), page.Next?.Encode() ?? "");
    }

    // A listing's filter, as identifiers, for the access log.
    private static string Describe(AuditListQuery query) =>
        $"team={query.Team} auditor={query.AuditorId} grade={query.OverallGrade} from={query.GradedFrom:O} to={query.GradedTo:O} page_size={query.PageSize}"
        + (query.AwaitingModeration ? " awaiting_moderation=true" : "") + (query.Status is { } status ? $" status={status}" : "");
}
