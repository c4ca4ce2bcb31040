using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Audits;

/// <summary>The audits, newest first, filtered by team, auditor, grade and period, a page at a time (ListAudits).</summary>
[Authorize(Policy = Policies.ReadAudits)]
public sealed class IndexModel(PageContract contract) : PageModel
{
    /// <summary>How many audits a page lists.</summary>
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Team { get; set; }
    [BindProperty(SupportsGet = true)] public string? Auditor { get; set; }
    [BindProperty(SupportsGet = true)] public Grade Grade { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public bool Awaiting { get; set; }
    [BindProperty(SupportsGet = true)] public bool Incomplete { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditList.AfterParameter)] public string? Cursor { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditList.BackParameter)] public List<string>? Back { get; set; }

    /// <summary>The teams to choose from in the filter; null for a text box.</summary>
    public IReadOnlyList<string>? Teams { get; private set; }

    /// <summary>This page of audits.</summary>
    public IReadOnlyList<AuditSummary> Audits { get; private set; } = [];

    /// <summary>The next page's token; empty on the last page.</summary>
    public string Next { get; private set; } = "";

    /// <summary>The filters' problems, by field: a date that is not one, or a period that ends before it starts.</summary>
    public Dictionary<string, string> Problems { get; } = [];

    /// <summary>Lists one page, unless a filter is wrong: then says so, and lists nothing.</summary>
    public async Task OnGetAsync()
    {
        Teams = await contract.TeamsAsync(HttpContext);
        FormDates.Unreadable(ModelState, Problems, ("from", "The date graded on or after"), ("to", "The date graded on or before"));

        if (From > To)
        {
            Problems["from"] = "The date graded on or after must be the same as or before the date graded on or before.";
        }

        if (Problems.Count > 0)
        {
            return;
        }

        var request = new ListAuditsRequest
        {
            Team = Team ?? "",
            AuditorId = Auditor ?? "",
            // The grade everyone sees: a moderator's decision where there is one.
            FinalGrade = Grade,
            GradedFrom = Show.StartOf(From),
            GradedTo = Show.StartOf(To?.AddDays(1)),
            AwaitingModeration = Awaiting,
            Status = Incomplete ? AuditStatus.Incomplete : AuditStatus.Unspecified,
            PageSize = PageSize,
            PageToken = Cursor ?? "",
        };
        var page = await contract.Grading.ListAuditsAsync(request, contract.As(HttpContext));
        (Audits, Next) = (page.Audits, page.NextPageToken);
    }

    /// <summary>The link to the next page, keeping the filters and the way back; null on the last page.</summary>
    public string? NextLink() => AuditList.Next("/audits", Next, AuditList.Trail(Back), Cursor, Filters());

    /// <summary>The page before, with the same filters; null on the first.</summary>
    public string? PreviousLink() => AuditList.Previous("/audits", AuditList.Trail(Back), Cursor, Filters());

    private (string, string?)[] Filters() =>
    [
        ("team", Team), ("auditor", Auditor), ("grade", Grade == Grade.Unspecified ? null : Grade.ToString()),
        ("from", From?.ToString("yyyy-MM-dd")), ("to", To?.ToString("yyyy-MM-dd")),
        ("awaiting", Awaiting ? "true" : null), ("incomplete", Incomplete ? "true" : null),
    ];
}
