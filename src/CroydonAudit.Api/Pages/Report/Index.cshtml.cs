using System.Text;
using Croydon.Audit.V1;
using Grpc.Core;
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

    /// <summary>The filters' problems, by field: a date that is not one, or a period the service refuses.</summary>
    public Dictionary<string, string> Problems { get; } = [];

    /// <summary>The report as a page; or, when the period or team is refused, the form saying why, and no figures.</summary>
    public async Task OnGetAsync()
    {
        Teams = await contract.TeamsAsync(HttpContext);
        FormDates.Unreadable(ModelState, Problems, ("from", "The first day"), ("to", "The last day"));
        if (Problems.Count > 0)
        {
            return;
        }

        try
        {
            Report = await ReadAsync();
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            // The service decides what period it reports on; the page says which field, in its own words.
            var fields = e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
            foreach (var field in fields.Count == 0 ? [""] : fields)
            {
                var (id, words) = FormProblems.GetValueOrDefault(field, ("from", "The period is not one the report can cover."));
                Problems.TryAdd(id, words);
            }
        }
    }

    // The report's fields in the contract, as the form names them, with what the service's refusal of each means.
    private static readonly Dictionary<string, (string Field, string Words)> FormProblems = new(StringComparer.Ordinal)
    {
        ["graded_from"] = ("from", "The first day must be before the last day (or before today, when no last day is given), and at most ten years before it."),
        ["graded_to"] = ("to", "The last day must be a real date."),
        ["team"] = ("team", "The team must be a team's name, without control characters."),
    };

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
