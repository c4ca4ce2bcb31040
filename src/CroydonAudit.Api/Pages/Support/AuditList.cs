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
public sealed record AuditList(IReadOnlyList<AuditSummary> Audits, string Caption, string Empty, string? NextHref, string AuditFragment = "")
{
    /// <summary>The query parameter carrying the next page's token ("page" is Razor Pages' own route value).</summary>
    public const string AfterParameter = "after";

    /// <summary><paramref name="path"/> with <paramref name="filters"/> (empty ones left out) and the next page's token; null when there is none.</summary>
    public static string? Next(string path, string nextPageToken, params (string Name, string? Value)[] filters) =>
        nextPageToken.Length == 0
            ? null
            : path + QueryString.Create(filters.Append((Name: AfterParameter, Value: (string?)nextPageToken))
                .Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => new KeyValuePair<string, string?>(f.Name, f.Value))).ToUriComponent();
}
