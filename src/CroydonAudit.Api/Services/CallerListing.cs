using CroydonAudit.Store.Contracts;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using Grpc.Core;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Services;

/// <summary>Audits as their caller may see them: ListAudits and the moderation queue, and the refusals GetAudit and moderation share.</summary>
public static class CallerListing
{
    /// <summary>
    /// One page of <paramref name="query"/>, limited to the caller's team when its token names one (whether or not it
    /// asked: asking for another team is PERMISSION_DENIED, recorded), recorded in the access log as a read.
    /// </summary>
    public static async Task<(IEnumerable<V1.AuditSummary> Audits, string NextPageToken)> ListAsync(
        this AuditStore store, AccessRecorder access, AuditListQuery query, ServerCallContext context)
    {
        query = query with { Team = await access.LimitToTeamAsync(context, query.Team) ?? "" };
        var page = await store.ListAsync(query, context.CancellationToken);
        await access.RecordAsync(context, "read", query: Describe(query));
        return (page.Audits.Select(a => a.ToContract()), page.Next?.Encode() ?? "");
    }

    /// <summary>
    /// The team a caller's read covers: the one asked for (null or empty: every team), or, when the caller's token
    /// names a team, that team — asking for another is PERMISSION_DENIED, recorded in the access log.
    /// </summary>
    public static async Task<string?> LimitToTeamAsync(this AccessRecorder access, ServerCallContext context, string? asked)
    {
        if (Caller.Of(context).Team is not { } own)
        {
            return string.IsNullOrEmpty(asked) ? null : asked;
        }

        return string.IsNullOrEmpty(asked) || asked == own
            ? own
            : throw await access.RefusedAsync(context, CallRefusals.Team, new Status(StatusCode.PermissionDenied, "Your access is for another team's audits."), query: $"team={asked}");
    }

    /// <summary>
    /// NOT_FOUND for an audit, or one of its revisions (0: the latest), that is not there or not the caller's team's:
    /// one answer for both, the same words whatever the id, so that nobody learns which ids another team has.
    /// Recorded as a refusal (the store wrote its row with the read): <paramref name="reason"/> says which it was.
    /// </summary>
    public static RpcException NotFound(this AccessRecorder access, ServerCallContext context, int revision, string reason)
    {
        access.RecordedByStore(context, reason);
        return new(new Status(StatusCode.NotFound, revision == 0
            ? "There is no audit with this id that your access covers."
            : "There is no such revision of an audit with this id that your access covers."));
    }

    // A listing's filter, as identifiers, for the access log.
    private static string Describe(AuditListQuery query) =>
        $"team={query.Team} auditor={query.AuditorId} grade={query.OverallGrade} from={query.GradedFrom:O} to={query.GradedTo:O} page_size={query.PageSize}"
        + (query.AwaitingModeration ? " awaiting_moderation=true" : "") + (query.Status is { } status ? $" status={status}" : "");
}
