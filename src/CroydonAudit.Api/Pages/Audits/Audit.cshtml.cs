using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
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
    [BindProperty(SupportsGet = true)] public string AuditId { get; set; } = "";
    [BindProperty(SupportsGet = true)] public int Revision { get; set; }

    /// <summary>The revision shown.</summary>
    public AuditRecord Audit { get; private set; } = new();

    /// <summary>The revision before it, to compare with; null for the first.</summary>
    public AuditRecord? Previous { get; private set; }

    /// <summary>
    /// A re-graded revision with no decision of its own (its outcome for moderation changed, so it needs one again):
    /// the decisions on the revision before it, so a moderator sees what was decided earlier. Empty otherwise.
    /// </summary>
    public IReadOnlyList<ModerationDecision> EarlierDecisions => Audit.ModerationDecisions.Count == 0 && Audit.Reason == RevisionReason.RuleSetChanged && Previous is { } previous
        ? previous.ModerationDecisions
        : [];

    /// <summary>For each rule that did not fire (by its position in the trace), what it looked at, in words.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> LookedAt { get; private set; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>For each rule that did not fire (by its position in the trace), when it would have applied, in a sentence.</summary>
    public IReadOnlyDictionary<int, string> WouldApply { get; private set; } = new Dictionary<int, string>();

    /// <summary>Every rule of the trace, in words, grouped by what rules of its kind do; those that applied first.</summary>
    public IReadOnlyList<(string Heading, IReadOnlyList<TraceRow> Rows)> TraceGroups { get; private set; } = [];

    /// <summary>The limits that applied to this audit's grade.</summary>
    public IReadOnlyList<TraceRow> Limits { get; private set; } = [];

    /// <summary>Set after a moderation decision was recorded: the page says so.</summary>
    [BindProperty(SupportsGet = true)] public bool Decided { get; set; }

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

    /// <summary>
    /// Records a moderation decision, then shows the audit with it. The service validates it: its field violations
    /// are shown against the form's own fields, in the form's words (no second validator here).
    /// </summary>
    public async Task<IActionResult> OnPostModerateAsync()
    {
        try
        {
            await contract.Reports.RecordModerationDecisionAsync(new RecordModerationDecisionRequest
            {
                AuditId = AuditId,
                Revision = Revision,
                Outcome = Outcome switch { "agreed" => ModerationOutcome.Agreed, "changed" => ModerationOutcome.GradeChanged, _ => ModerationOutcome.Unspecified },
                FinalGrade = Outcome == "agreed" ? Grade.Unspecified : FinalGrade,
                Reason = Reason?.Trim() ?? "",
            }, contract.As(HttpContext));
            return LocalRedirect($"/audits/{Uri.EscapeDataString(AuditId)}?decided=true{(Revision > 0 ? $"&revision={Revision}" : "")}");
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            var violations = e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => (v.Field, v.Description));
            foreach (var (contractField, description) in violations ?? [("outcome", e.Status.Detail)])
            {
                var (field, words) = FormFields.GetValueOrDefault(contractField, ("outcome", "Your decision"));
                Problems.TryAdd(field, $"{words} {description}");
            }
        }

        await LoadAsync();
        return Page();
    }

    // The decision's fields in the contract, as the form names and words them.
    private static readonly Dictionary<string, (string Field, string Words)> FormFields = new(StringComparer.Ordinal)
    {
        ["outcome"] = ("outcome", "Your decision"),
        ["final_grade"] = ("final-grade", "The final grade"),
        ["reason"] = ("reason", "The reason"),
    };

    /// <summary>What differs from the previous revision's submission, text against text: what, before, after.</summary>
    public IEnumerable<(string What, string Before, string After)> Changes()
    {
        if (Previous is not { } previous)
        {
            yield break;
        }

        var (was, now) = (previous.Submission, Audit.Submission);
        foreach (var change in new[]
        {
            ("Case reference", was.CaseReference, now.CaseReference),
            ("Team", was.Team, now.Team),
            ("Auditor", was.AuditorId, now.AuditorId),
            ("Grade the auditor proposed", Show.Of(was.ProposedOverallGrade), Show.Of(now.ProposedOverallGrade)),
            ("Override rationale", was.OverrideRationale, now.OverrideRationale),
            ("Immediate risk identified", YesNo(was.Safeguarding?.ImmediateRiskIdentified), YesNo(now.Safeguarding?.ImmediateRiskIdentified)),
            ("Safeguarding action taken", was.Safeguarding?.ActionTaken ?? "", now.Safeguarding?.ActionTaken ?? ""),
            ("Strengths", was.Strengths, now.Strengths),
            ("Learning", was.Learning, now.Learning),
            ("Summary of findings", was.SummaryOfFindings, now.SummaryOfFindings),
            ("Recommendations", Recommendations(was), Recommendations(now)),
            ("Organisational learning points", string.Join("\n", was.OrganisationalLearningPoints), string.Join("\n", now.OrganisationalLearningPoints)),
        }.Concat(AreaChanges(was, now)).Concat(AnswerChanges(previous, Audit)))
        {
            if (change.Item2 != change.Item3)
            {
                yield return change;
            }
        }
    }

    /// <summary>An answered question as the page shows it: the option's words, or the value written.</summary>
    public static string AnswerText(AuditRecord record, AnsweredQuestion answer) => answer.OptionWords.Length > 0
        ? answer.OptionWords
        : record.Submission.Answers.FirstOrDefault(a => a.QuestionId == answer.QuestionId)?.Value ?? "Written in the audit's own fields";

    private static string YesNo(bool? value) => value == true ? "Yes" : "No";

    private static string Recommendations(AuditSubmission submission) =>
        string.Join("\n", submission.Recommendations.Select(r => $"{r.Text} ({Show.Of(r.Value)})"));

    private static IEnumerable<(string, string, string)> AreaChanges(AuditSubmission was, AuditSubmission now)
    {
        foreach (var area in was.Areas.Select(a => a.Area).Union(now.Areas.Select(a => a.Area)))
        {
            var (before, after) = (was.Areas.FirstOrDefault(a => a.Area == area), now.Areas.FirstOrDefault(a => a.Area == area));
            var name = Show.Of(area);
            yield return ($"{name}: grade", AreaGrade(before), AreaGrade(after));
            yield return ($"{name}: evidence", before?.Evidence ?? "", after?.Evidence ?? "");
            yield return ($"{name}: good practice", before?.GoodPractice ?? "", after?.GoodPractice ?? "");
            yield return ($"{name}: significant concern", Concern(before), Concern(after));
        }

        static string AreaGrade(AreaAssessment? area) => area is null ? "Not assessed" : area.NotApplicable ? "Not applicable" : Show.Of(area.Grade);

        static string Concern(AreaAssessment? area) => area?.SignificantConcern == true ? $"Raised: {area.SignificantConcernDetail}" : "None";
    }

    private static IEnumerable<(string, string, string)> AnswerChanges(AuditRecord was, AuditRecord now)
    {
        foreach (var question in was.Answered.Select(a => a.QuestionId).Union(now.Answered.Select(a => a.QuestionId)))
        {
            var (before, after) = (was.Answered.FirstOrDefault(a => a.QuestionId == question), now.Answered.FirstOrDefault(a => a.QuestionId == question));
            yield return ((after ?? before)!.Question, before is null ? "Not answered" : AnswerText(was, before), after is null ? "Not answered" : AnswerText(now, after));
        }
    }

    private async Task LoadAsync()
    {
        var options = contract.As(HttpContext);
        Audit = (await contract.Grading.GetAuditAsync(new GetAuditRequest { AuditId = AuditId, Revision = Revision }, options)).Audit;
        var rules = await ruleSets.ForAsync(Audit.Result.RuleSetVersion, HttpContext);
        // The rule behind each trace entry, by position (the trace lists every rule of its set, in order).
        RuleDefinition? RuleAt(int position) => rules is not null && position < rules.Rules.Count && rules.Rules[position].RuleId == Audit.Result.Trace[position].RuleId
            ? rules.Rules[position].Definition
            : null;
        if (rules is not null)
        {
            var facts = AuditFactsBuilder.Build(Audit.Submission.ToDomain(), rules.BlandText);
            var notFired = Audit.Result.Trace
                .Select((entry, position) => (entry, position))
                .Where(t => !t.entry.Fired && RuleAt(t.position) is not null)
                .Select(t => t.position)
                .ToList();
            LookedAt = notFired.ToDictionary(p => p, p => FactsLookedAt.Of(rules.Rules[p], facts));
            WouldApply = notFired.ToDictionary(p => p, p => RuleWords.WouldApplyIf(rules.Rules[p], rules.Template));
        }

        var rows = Audit.Result.Trace.Select((entry, position) => RuleAt(position) is { } rule
            ? new TraceRow(position, entry, RuleWords.Name(rule), RuleWords.WhatItDoes(rule), rule.Effect)
            : new TraceRow(position, entry, $"A rule from the guidance ({entry.GuidanceRef})", "", null)).ToList();
        Limits = [.. rows.Where(r => r.Entry.Fired && r.Effect == RuleEffect.Limit)];
        TraceGroups = [.. rows
            .GroupBy(r => r.Effect)
            .OrderBy(g => g.Key ?? (RuleEffect)int.MaxValue)
            .Select(g => (GroupHeading(g.Key), (IReadOnlyList<TraceRow>)[.. g.OrderByDescending(r => r.Entry.Fired).ThenBy(r => r.Position)]))];

        if (Audit.Result.Revision > 1)
        {
            Previous = (await contract.Grading.GetAuditAsync(new GetAuditRequest { AuditId = AuditId, Revision = Audit.Result.Revision - 1 }, options)).Audit;
        }
    }

    private static string GroupHeading(RuleEffect? effect) => effect switch
    {
        RuleEffect.Base => "The base grade",
        RuleEffect.Limit => "Limits on the overall grade",
        RuleEffect.Override => "The auditor's override",
        RuleEffect.Finding => "Findings",
        _ => "Rules",
    };
}

/// <summary>A rule of the trace in words: its position in evaluation order, what it did, its name and what rules like it do.</summary>
public sealed record TraceRow(int Position, RuleTraceEntry Entry, string Name, string WhatItDoes, RuleEffect? Effect);
