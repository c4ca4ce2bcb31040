using CroydonAudit.Store.Access;
using Grpc.Core;

namespace CroydonAudit.Api.Security;

/// <summary>
/// Records a call's access to audits in the access log, as the calling identity: before a read answers. A
/// write is recorded by the store, in the transaction that stores it (<see cref="CroydonAudit.Store.PendingRevision.StoredBy"/>).
/// </summary>
public sealed class AccessRecorder(AccessLog log, CallRefusals refusals)
{
    /// <summary>The caller of <paramref name="context"/>, as the access log names it.</summary>
    public static Accessor Of(ServerCallContext context)
    {
        var caller = Caller.Of(context);
        return new Accessor(caller.Subject, caller.Client, caller.Roles, context.Method);
    }

    /// <summary>Records one access by the caller of <paramref name="context"/>.</summary>
    public Task RecordAsync(ServerCallContext context, string action, string? auditId = null, int? revision = null, string? query = null) =>
        log.RecordAsync(Of(context).Did(action, auditId, revision, query), context.CancellationToken);

    /// <summary>Records a refusal (<see cref="CallRefusals"/>: its row stored before the caller is answered), and says so to the caller.</summary>
    public async Task<RpcException> RefusedAsync(ServerCallContext context, string reason, Status status, string? auditId = null, string? query = null)
    {
        await refusals.RefusedAsync(context.GetHttpContext(), reason, auditId, query).WaitAsync(context.CancellationToken);
        return new RpcException(status);
    }

    /// <summary>Records a refusal without waiting for its row (<see cref="CallRefusals.Refused"/>).</summary>
    public void Refused(ServerCallContext context, string reason, string? auditId = null) => refusals.Refused(context.GetHttpContext(), reason, auditId);

    /// <summary>A refusal the store recorded with the read or write it refused: counted and logged (<see cref="CallRefusals.RecordedByStore"/>).</summary>
    public void RecordedByStore(ServerCallContext context, string reason) => refusals.RecordedByStore(context.GetHttpContext(), reason);

    /// <summary>
    /// The team a caller's read covers: the one asked for (null or empty: every team), or, when the caller's token
    /// names a team, that team — asking for another is PERMISSION_DENIED, recorded in the access log.
    /// </summary>
    public async Task<string?> LimitToTeamAsync(ServerCallContext context, string? asked)
    {
        if (Caller.Of(context).Team is not { } own)
        {
            return string.IsNullOrEmpty(asked) ? null : asked;
        }

        return string.IsNullOrEmpty(asked) || asked == own
            ? own
            : throw await RefusedAsync(context, CallRefusals.Team, new Status(StatusCode.PermissionDenied, "Your access is for another team's audits."), query: $"team={asked}");
    }

    /// <summary>
    /// NOT_FOUND for an audit, or one of its revisions (0: the latest), that is not there or not the caller's team's:
    /// one answer for both, the same words whatever the id, so that nobody learns which ids another team has.
    /// Recorded as a refusal (the store wrote its row with the read): <paramref name="reason"/> says which it was.
    /// </summary>
    public RpcException NotFound(ServerCallContext context, int revision, string reason)
    {
        RecordedByStore(context, reason);
        return new(new Status(StatusCode.NotFound, revision == 0
            ? "There is no audit with this id that your access covers."
            : "There is no such revision of an audit with this id that your access covers."));
    }
}
