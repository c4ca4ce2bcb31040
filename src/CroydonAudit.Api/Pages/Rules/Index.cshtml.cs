using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Rules;

/// <summary>
/// The rules: the active version, the last refused candidate and why, and the history with who proposed, approved
/// and activated each version (GetRuleSetStatus, ListRuleSets). A rules approver approves a version someone else
/// proposed here (ApproveRuleSet), and the principal social worker activates an approved one or rolls back to an
/// earlier one (ActivateRuleSet): each as the signed-in person, through the contract.
/// </summary>
[Authorize(Policy = Policies.ReadRuleSets)]
public sealed class IndexModel(PageContract contract, PageRuleSets ruleSets) : PageModel
{
    /// <summary>The active version and the last refusal.</summary>
    public GetRuleSetStatusResponse Status { get; private set; } = new();

    /// <summary>The versions stored, newest first.</summary>
    public IReadOnlyList<RuleSetInfo> History { get; private set; } = [];

    /// <summary>The version whose rules to show; the active one when not given.</summary>
    [BindProperty(SupportsGet = true)] public string? Version { get; set; }

    /// <summary>What was just done ("approved", "activated"), for the banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    /// <summary>Why the last step was refused, in the service's words.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Whether the signed-in person may propose, preview and activate.</summary>
    public bool CanChange => User.IsInRole(Roles.RulesAdmin);

    /// <summary>Whether the signed-in person may approve.</summary>
    public bool CanApprove => User.IsInRole(Roles.RulesApprover);

    /// <summary>The shown version's rules, in the order they apply; empty when it cannot be read.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; private set; } = [];

    /// <summary>When each rule applies, in a sentence derived from its condition, in the order of <see cref="Rules"/>.</summary>
    public IReadOnlyList<string> AppliesWhen { get; private set; } = [];

    /// <summary>Reads the status, the shown rules and the history.</summary>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Approves a version as the signed-in person.</summary>
    public Task<IActionResult> OnPostApproveAsync(string version) => StepAsync("approved", version, options =>
        contract.RuleSets.ApproveRuleSetAsync(new ApproveRuleSetRequest { Version = version }, options).ResponseAsync);

    /// <summary>Activates a version (an approved one, or one active before: a rollback) as the signed-in person.</summary>
    public Task<IActionResult> OnPostActivateAsync(string version) => StepAsync("activated", version, options =>
        contract.RuleSets.ActivateRuleSetAsync(new ActivateRuleSetRequest { Version = version }, options).ResponseAsync);

    /// <summary>Whether the signed-in person proposed a version (and so may not approve it).</summary>
    public bool ProposedByMe(RuleSetInfo ruleSet) =>
        ruleSet.History.Any(e => e.Step == RuleSetStep.Proposed && e.By == Caller.Of(User).Subject);

    /// <summary>What activating a version would be: null when it cannot be activated by anyone now.</summary>
    public string? ActivateAction(RuleSetInfo ruleSet) =>
        ruleSet.Active ? null
        : ruleSet.History.Any(e => e.Step == RuleSetStep.Activated) ? "Roll back to this version"
        : ruleSet.Approved || !Status.ApprovalRequired ? "Activate"
        : null;

    /// <summary>A step in words: "proposed by alice on 7 December 2026 at 18:02".</summary>
    public static string Words(RuleSetEvent step) =>
        $"{step.Step switch { RuleSetStep.Proposed => "Proposed", RuleSetStep.Approved => "Approved", _ => "Activated" }} by {step.By}, {Show.When(step.At)}";

    private async Task<IActionResult> StepAsync(string done, string version, Func<CallOptions, Task> step)
    {
        try
        {
            await step(contract.As(HttpContext));
            return LocalRedirect($"/rules?done={done}&version={Uri.EscapeDataString(version)}#history");
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.FailedPrecondition or Grpc.Core.StatusCode.InvalidArgument or Grpc.Core.StatusCode.NotFound)
        {
            Refusal = string.Join(" ", e.Reasons());
            Version = version;
            await LoadAsync();
            return Page();
        }
    }

    private async Task LoadAsync()
    {
        var options = contract.As(HttpContext);
        Status = await contract.RuleSets.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options);
        History = (await contract.RuleSets.ListRuleSetsAsync(new ListRuleSetsRequest { PageSize = 100 }, options)).RuleSets;
        Version = string.IsNullOrEmpty(Version) ? Status.Active?.Version : Version;
        if (Version is { } shown && await ruleSets.ForAsync(shown, HttpContext) is { } rules)
        {
            Rules = rules.Rules;
            AppliesWhen = [.. rules.Rules.Select(r => CroydonAudit.Grading.Text.RuleWords.AppliesWhen(r, rules.Template))];
        }
    }
}
