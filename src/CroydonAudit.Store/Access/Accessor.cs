namespace CroydonAudit.Store.Access;

/// <summary>
/// Who is reading or writing audits, and through what, as the access log records them: the authenticated
/// caller (never what a request body claims) and the method or job.
/// </summary>
/// <param name="Subject">The token's subject.</param>
/// <param name="Client">The client application, or empty.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="Method">The method or job.</param>
public sealed record Accessor(string Subject, string Client, IReadOnlyList<string> Roles, string Method)
{
    /// <summary>No authenticated caller: the store used by itself.</summary>
    public static Accessor Unknown { get; } = new("", "", [], "");

    /// <summary>The record of this accessor's <paramref name="action"/>.</summary>
    public AccessRecord Did(string action, string? auditId = null, int? revision = null, string? query = null) =>
        new(Subject, Client, Roles, Method, action, auditId, revision, query);

    /// <summary>The record of a refusal of this accessor's call, for <paramref name="reason"/>.</summary>
    public AccessRecord Refused(string reason, string? auditId = null, string? query = null) =>
        new(Subject, Client, Roles, Method, "refused", auditId, null, query, reason);
}
