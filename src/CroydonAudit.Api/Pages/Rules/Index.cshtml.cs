using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Rules;

/// <summary>The rules: the active version, the last refused candidate and why, and the history (GetRuleSetStatus, ListRuleSets).</summary>
[Authorize(Policy = Policies.ReadRuleSets)]
public sealed class IndexModel(PageContract contract) : PageModel
{
    /// <summary>The active version and the last refusal.</summary>
    public GetRuleSetStatusResponse Status { get; private set; } = new();

    /// <summary>The versions stored, newest first.</summary>
    public IReadOnlyList<RuleSetInfo> History { get; private set; } = [];

    /// <summary>Reads the status and the history.</summary>
    public async Task OnGetAsync()
    {
        var options = contract.As(HttpContext);
        Status = await contract.RuleSets.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options);
        History = (await contract.RuleSets.ListRuleSetsAsync(new ListRuleSetsRequest { PageSize = 100 }, options)).RuleSets;
    }
}
