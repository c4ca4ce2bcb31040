using Croydon.Audit.V1;
using Microsoft.AspNetCore.Http;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A page of audits as the audits list and the moderation queue show them (the partial _AuditList): a table, and
/// links to the next and previous pages keeping the page's filters.
/// </summary>
/// <param name="Audits">This page's audits.</param>
/// <param name="Caption">The table's caption.</param>
/// <param name="Empty">What to say when there are none.</param>
/// <param name="NextHref">The next page, or null on the last.</param>
/// <param name="AuditFragment">Where on an audit's page its link goes ("" for the top, "#moderation").</param>
/// <param name="PreviousHref">The page before, on a later page (null on the first).</param>
/// <param name="WaitingSince">For the moderation queue: now, so each audit shows how long it has waited since graded.</param>
public sealed record AuditList(IReadOnlyList<AuditSummary> Audits, string Caption, string Empty, string? NextHref, string AuditFragment = "", string? PreviousHref = null, DateTimeOffset? WaitingSince = null)
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

    /// <summary>The query parameter carrying the earlier pages' tokens, oldest first: the service's tokens go forward only.</summary>
    public const string BackParameter = "back";

    /// <summary>How many earlier pages a link remembers; further back, "Previous page" leads to the first page.</summary>
    public const int MaxBack = 20;

    /// <summary>The earlier pages' tokens as the address gave them: only what could be a page token, the last <see cref="MaxBack"/>.</summary>
    public static IReadOnlyList<string> Trail(IEnumerable<string>? back) => [.. (back ?? []).Where(IsToken).TakeLast(MaxBack)];

    /// <summary>The next page, remembering this one (<paramref name="cursor"/>, null on the first) to come back to; null on the last page.</summary>
    public static string? Next(string path, string nextPageToken, IReadOnlyList<string> trail, string? cursor, params (string Name, string? Value)[] filters) =>
        nextPageToken.Length == 0 ? null : Link(path, filters, cursor is null ? [] : [.. trail, cursor], nextPageToken);

    /// <summary>The page before this one (the first page when no earlier token is remembered); null on the first page.</summary>
    public static string? Previous(string path, IReadOnlyList<string> trail, string? cursor, params (string Name, string? Value)[] filters) =>
        cursor is null ? null : trail.Count == 0 ? First(path, filters) : Link(path, filters, [.. trail.Take(trail.Count - 1)], trail[^1]);

    private static string Link(string path, (string Name, string? Value)[] filters, IReadOnlyList<string> back, string after) =>
        First(path, [.. filters, .. back.TakeLast(MaxBack).Select(t => (BackParameter, (string?)t)), (AfterParameter, after)]);

    // A page token is base64url (an audit's position): anything else in the address is dropped, never passed on.
    private static bool IsToken(string token) => token.Length is > 0 and <= 400 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
