using CroydonAudit.Store.Access;
using Grpc.Core;

namespace CroydonAudit.Api.Security;

/// <summary>
/// Records a call's access to audits in the access log, as the calling identity: before a read answers. A
/// write is recorded by the store, in the transaction that stores it (<see cref="CroydonAudit.Store.PendingRevision.StoredBy"/>).
/// </summary>
public sealed class AccessRecorder(AccessLog log)
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

    /// <summary>Records a refusal, and says so to the caller: PERMISSION_DENIED.</summary>
    public async Task<RpcException> DeniedAsync(ServerCallContext context, string why, string? auditId = null, string? query = null)
    {
        await RecordAsync(context, "denied", auditId, query: query);
        return new RpcException(new Status(StatusCode.PermissionDenied, why));
    }
}
