namespace CroydonAudit.Store;

/// <summary>One page of a listing, newest first.</summary>
/// <param name="Audits">The audits on this page.</param>
/// <param name="Next">Where the next page starts; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditSummary> Audits, AuditPageToken? Next);
