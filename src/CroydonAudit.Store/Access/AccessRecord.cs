namespace CroydonAudit.Store.Access;

/// <summary>One read or write of an audit, as the access log keeps it: identifiers only, never free text.</summary>
/// <param name="Subject">Who: the token's subject.</param>
/// <param name="Client">Through which client application.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="Method">Through what: the method or job.</param>
/// <param name="Action">read, write, refused (denied before 2026-12-07) or deleted.</param>
/// <param name="AuditId">The audit, when one.</param>
/// <param name="Revision">The revision, when one.</param>
/// <param name="Query">For a listing or a preview: its filter, as identifiers.</param>
/// <param name="Reason">For a refusal: why, as a reason class (<c>token-expired</c>, <c>role</c>, <c>team</c>, <c>not-found</c>…).</param>
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
    string? Reason = null,
    DateTimeOffset At = default);
