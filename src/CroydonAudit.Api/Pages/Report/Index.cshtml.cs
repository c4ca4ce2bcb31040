using System.Text;
using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Report;

/// <summary>The programme report for a period and optionally a team (GetProgrammeReport), as a page, as CSV, and in print.</summary>
[Authorize(Policy = Policies.Report)]
public sealed class IndexModel(PageContract contract) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Team { get; set; }

    /// <summary>The report.</summary>
    public ProgrammeReport Report { get; private set; } = new();

    /// <summary>The teams to choose from in the filter; null for a text box.</summary>
    public IReadOnlyList<string>? Teams { get; private set; }

    /// <summary>The report as a page.</summary>
    public async Task OnGetAsync()
    {
        Teams = await contract.TeamsAsync(HttpContext);
        Report = await ReadAsync();
    }

    /// <summary>The report's figures as CSV.</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        var report = await ReadAsync();
        return File(Encoding.UTF8.GetBytes(ReportCsv.Of(report)), "text/csv; charset=utf-8", ReportCsv.FileName(report));
    }

    /// <summary>The same period and team, as query text for links.</summary>
    public string Query() => QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd"), ["to"] = To?.ToString("yyyy-MM-dd"), ["team"] = Team,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    private async Task<ProgrammeReport> ReadAsync() => (await contract.Reports.GetProgrammeReportAsync(new GetProgrammeReportRequest
    {
        GradedFrom = Show.StartOf(From),
        GradedTo = Show.StartOf(To?.AddDays(1)),
        Team = Team ?? "",
    }, contract.As(HttpContext))).Report;
}
