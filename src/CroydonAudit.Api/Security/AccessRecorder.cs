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
}
