namespace CroydonAudit.Store;

/// <summary>Which stored audits (their latest revisions) an impact preview or a bulk re-grade looks at.</summary>
/// <param name="Team">Only this team's audits, when given.</param>
/// <param name="AuditorId">Only this auditor's, when given.</param>
/// <param name="GradedFrom">Only those graded at or after this instant, when given.</param>
/// <param name="GradedTo">Only those graded before this instant, when given.</param>
public sealed record AuditFilter(string? Team, string? AuditorId, DateTimeOffset? GradedFrom, DateTimeOffset? GradedTo)
{
    /// <summary>Every stored audit.</summary>
    public static AuditFilter All { get; } = new(null, null, null, null);
}
