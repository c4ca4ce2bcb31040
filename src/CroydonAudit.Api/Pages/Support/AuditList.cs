using Croydon.Audit.V1;
using Microsoft.AspNetCore.Http;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A page of audits as the audits list and the moderation queue show them (the partial _AuditList): a table, and a
/// link to the next page keeping the page's filters.
/// </summary>
/// <param name="Audits">This page's audits.</param>
/// <param name="Caption">The table's caption.</param>
/// <param name="Empty">What to say when there are none.</param>
/// <param name="NextHref">The next page, or null on the last.</param>
/// <param name="AuditFragment">Where on an audit's page its link goes ("" for the top, "#moderation").</param>
/// <param name="FirstHref">The first page, on a later page (null on the first): paging goes forward only.</param>
/// <param name="WaitingSince">For the moderation queue: now, so each audit shows how long it has waited since graded.</param>
public sealed record AuditList(IReadOnlyList<AuditSummary> Audits, string Caption, string Empty, string? NextHref, string AuditFragment = "", string? FirstHref = null, DateTimeOffset? WaitingSince = null)
{
    /// <summary>"3 days", "5 hours", "under an hour": how long an audit has waited.</summary>
    public static string Waited(TimeSpan waited) => waited switch
    {
        { TotalDays: >= 2 } => $"{(int)waited.TotalDays} days",
        { TotalDays: >= 1 } => "1 day",
        { TotalHours: >= 2 } => $"{(int)waited.TotalHours} hours",
        { TotalHours: >= 1 } => "1 hour",
        _ => "under an hour",
    };

    /// <summary><paramref name="path"/> with <paramref name="filters"/> (empty ones left out): the first page.</summary>
    public static string First(string path, params (string Name, string? Value)[] filters) =>
        path + QueryString.Create(filters.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => new KeyValuePair<string, string?>(f.Name, f.Value))).ToUriComponent();

    /// <summary>The query parameter carrying the next page's token ("page" is Razor Pages' own route value).</summary>
    public const string AfterParameter = "after";

    /// <summary><paramref name="path"/> with <paramref name="filters"/> (empty ones left out) and the next page's token; null when there is none.</summary>
    public static string? Next(string path, string nextPageToken, params (string Name, string? Value)[] filters) =>
        nextPageToken.Length == 0 ? null : First(path, [.. filters, (AfterParameter, nextPageToken)]);
}
