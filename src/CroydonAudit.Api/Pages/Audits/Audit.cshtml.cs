using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Audits;

/// <summary>
/// One audit: its grade and how it was reached, the areas, findings, summary, every rule in evaluation order,
/// its revisions and moderation; a moderator records a decision here (GetAudit, RecordModerationDecision).
/// </summary>
[Authorize(Policy = Policies.ReadAudits)]
public sealed class AuditModel(PageContract contract, PageRuleSets ruleSets) : PageModel
{
    /// <summary>The longest moderation reason.</summary>
    public const int MaxReason = 4000;

    [BindProperty(SupportsGet = true)] public string AuditId { get; set; } = "";
    [BindProperty(SupportsGet = true)] public int Revision { get; set; }

    /// <summary>The revision shown.</summary>
    public AuditRecord Audit { get; private set; } = new();

    /// <summary>The revision before it, to compare with; null for the first.</summary>
    public AuditRecord? Previous { get; private set; }

    /// <summary>For each rule that did not fire (by its position in the trace), what it looked at, in words.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> LookedAt { get; private set; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>Whether the signed-in person may record moderation decisions.</summary>
    public bool CanModerate => User.IsInRole(Roles.Moderator);

    /// <summary>The moderation form's problems, by field.</summary>
    public Dictionary<string, string> Problems { get; } = [];

    /// <summary>The moderation form as entered.</summary>
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public Grade FinalGrade { get; set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>Reads the audit.</summary>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Records a moderation decision, then shows the audit with it.</summary>
    public async Task<IActionResult> OnPostModerateAsync()
    {
        if (Outcome is not ("agreed" or "changed"))
        {
            Problems["outcome"] = "Select whether you agree with the grade or change it.";
        }
        else if (Outcome == "changed" && FinalGrade == Grade.Unspecified)
        {
            Problems["final-grade"] = "Select the final grade.";
        }

        if (Outcome == "changed" && string.IsNullOrWhiteSpace(Reason))
        {
            Problems["reason"] = "Say why the grade should change.";
        }
        else if (Reason?.Length > MaxReason)
        {
            Problems["reason"] = $"The reason must be {MaxReason:N0} characters or fewer.";
        }

        if (Problems.Count == 0)
        {
            try
            {
                await contract.Reports.RecordModerationDecisionAsync(new RecordModerationDecisionRequest
                {
                    AuditId = AuditId,
                    Revision = Revision,
                    Outcome = Outcome == "agreed" ? ModerationOutcome.Agreed : ModerationOutcome.GradeChanged,
                    FinalGrade = Outcome == "agreed" ? Grade.Unspecified : FinalGrade,
                    Reason = Reason?.Trim() ?? "",
                }, contract.As(HttpContext));
                return LocalRedirect($"/audits/{Uri.EscapeDataString(AuditId)}{(Revision > 0 ? $"?revision={Revision}" : "")}#moderation");
            }
            catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
            {
                Problems["outcome"] = e.Status.Detail;
            }
        }

        await LoadAsync();
        return Page();
    }

    /// <summary>The parts of the submission that differ from the previous revision's, in words ("learning", "areas").</summary>
    public IEnumerable<string> ChangedInSubmission() => Previous is null
        ? []
        : AuditSubmission.Descriptor.Fields.InFieldNumberOrder()
            .Where(f => f.Name is not ("audit_id" or "audited_at") && !Equals(f.Accessor.GetValue(Audit.Submission), f.Accessor.GetValue(Previous.Submission)))
            .Select(f => f.Name.Replace('_', ' '));

    private async Task LoadAsync()
    {
        var options = contract.As(HttpContext);
        Audit = (await contract.Grading.GetAuditAsync(new GetAuditRequest { AuditId = AuditId, Revision = Revision }, options)).Audit;
        if (await ruleSets.ForAsync(Audit.Result.RuleSetVersion, HttpContext) is { } rules)
        {
            var facts = AuditFactsBuilder.Build(Audit.Submission.ToDomain(), rules.BlandText);
            LookedAt = Audit.Result.Trace
                .Select((entry, position) => (entry, position))
                .Where(t => !t.entry.Fired && t.position < rules.Rules.Count && rules.Rules[t.position].RuleId == t.entry.RuleId)
                .ToDictionary(t => t.position, t => FactsLookedAt.Of(rules.Rules[t.position], facts));
        }

        if (Audit.Result.Revision > 1)
        {
            Previous = (await contract.Grading.GetAuditAsync(new GetAuditRequest { AuditId = AuditId, Revision = Audit.Result.Revision - 1 }, options)).Audit;
        }
    }
}
