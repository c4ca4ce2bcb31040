using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Moderation;

/// <summary>The moderation queue, oldest first (ListModerationQueue); each audit's page records the decision.</summary>
[Authorize(Policy = Policies.Moderate)]
public sealed class IndexModel(PageContract contract, TimeProvider clock) : PageModel
{
    /// <summary>Now, to say how long each audit has waited.</summary>
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    [BindProperty(SupportsGet = true)] public string? Team { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditList.AfterParameter)] public string? Cursor { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditList.BackParameter)] public List<string>? Back { get; set; }

    /// <summary>The teams to choose from in the filter; null for a text box.</summary>
    public IReadOnlyList<string>? Teams { get; private set; }

    /// <summary>This page of the queue.</summary>
    public IReadOnlyList<AuditSummary> Audits { get; private set; } = [];

    /// <summary>The next page's token; empty on the last page.</summary>
    public string Next { get; private set; } = "";

    /// <summary>Lists one page of the queue.</summary>
    public async Task OnGetAsync()
    {
        Teams = await contract.TeamsAsync(HttpContext);
        var page = await contract.Reports.ListModerationQueueAsync(
            new ListModerationQueueRequest { Team = Team ?? "", PageSize = 25, PageToken = Cursor ?? "" }, contract.As(HttpContext));
        (Audits, Next) = (page.Audits, page.NextPageToken);
    }
}
