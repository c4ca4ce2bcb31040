using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Grading.Rules;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Rules;

/// <summary>
/// What a stored rule set (an earlier version, or a refused candidate) would change if it graded the stored audits
/// now: PreviewRuleSetImpact with that version's files, as a matrix of grades from and to. For the principal
/// social worker (rules-admin).
/// </summary>
[Authorize(Policy = Policies.ChangeRules)]
public sealed class ImpactModel(PageContract contract, PageRuleSets ruleSets) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Version { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Team { get; set; }

    /// <summary>The version's label.</summary>
    public string Label { get; private set; } = "";

    /// <summary>The preview.</summary>
    public RuleSetImpactReport Report { get; private set; } = new();

    /// <summary>The previewed version's rules, to name them; null when it cannot be loaded.</summary>
    public RuleSet? Rules { get; private set; }

    /// <summary>Proposes this stored version again, as the signed-in person, with its own worked cases (a way back to it).</summary>
    public async Task<IActionResult> OnPostProposeAsync()
    {
        var options = contract.As(HttpContext);
        var stored = await contract.RuleSets.GetRuleSetAsync(new GetRuleSetRequest { Version = Version }, options);
        var proposed = await contract.RuleSets.ProposeRuleSetAsync(new ProposeRuleSetRequest { Files = { stored.Files } }, options);
        return LocalRedirect($"/rules?done=proposed&version={Uri.EscapeDataString(proposed.RuleSet.Version)}#history");
    }

    /// <summary>Previews the version's impact.</summary>
    public async Task OnGetAsync()
    {
        var options = contract.As(HttpContext);
        var stored = await contract.RuleSets.GetRuleSetAsync(new GetRuleSetRequest { Version = Version }, options);
        Label = stored.RuleSet.Label;
        Report = (await contract.RuleSets.PreviewRuleSetImpactAsync(
            new PreviewRuleSetImpactRequest { Files = { stored.Files }, Team = Team ?? "", MaxChangedAuditIds = 50 }, options)).Report;
        Rules = await ruleSets.ForAsync(Version, HttpContext);
    }
}
