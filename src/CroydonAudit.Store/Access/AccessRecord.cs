namespace CroydonAudit.Store.Access;

/// <summary>One read or write of an audit, as the access log keeps it: identifiers only, never free text.</summary>
/// <param name="Subject">Who: the token's subject.</param>
/// <param name="Client">Through which client application.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="Method">Through what: the method or job.</param>
/// <param name="Action">read, write, denied or deleted.</param>
/// <param name="AuditId">The audit, when one.</param>
/// <param name="Revision">The revision, when one.</param>
/// <param name="Query">For a listing or a preview: its filter, as identifiers.</param>
/// <param name="At">When (set by the database).</param>
public sealed record AccessRecord(
    string Subject,
    string Client,
    IReadOnlyList<string> Roles,
    string Method,
    string Action,
    string? AuditId = null,
    int? Revision = null,
    string? Query = null,
    DateTimeOffset At = default);
