using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Grading.Rules;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Rules;

/// <summary>The rules: the active version, the last refused candidate and why, and the history (GetRuleSetStatus, ListRuleSets).</summary>
[Authorize(Policy = Policies.ReadRuleSets)]
public sealed class IndexModel(PageContract contract, PageRuleSets ruleSets) : PageModel
{
    /// <summary>The active version and the last refusal.</summary>
    public GetRuleSetStatusResponse Status { get; private set; } = new();

    /// <summary>The versions stored, newest first.</summary>
    public IReadOnlyList<RuleSetInfo> History { get; private set; } = [];

    /// <summary>The version whose rules to show; the active one when not given.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Version { get; set; }

    /// <summary>Whether the signed-in person may preview a version's impact.</summary>
    public bool CanPreview => User.IsInRole(CroydonAudit.Identity.Roles.RulesAdmin);

    /// <summary>The shown version's rules, in the order they apply; empty when it cannot be read.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; private set; } = [];

    /// <summary>Reads the status, the active rules and the history.</summary>
    public async Task OnGetAsync()
    {
        var options = contract.As(HttpContext);
        Status = await contract.RuleSets.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options);
        History = (await contract.RuleSets.ListRuleSetsAsync(new ListRuleSetsRequest { PageSize = 100 }, options)).RuleSets;
        Version = string.IsNullOrEmpty(Version) ? Status.Active?.Version : Version;
        if (Version is { } shown && await ruleSets.ForAsync(shown, HttpContext) is { } rules)
        {
            Rules = rules.Rules;
        }
    }
}
