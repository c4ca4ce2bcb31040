using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Audits;

/// <summary>
/// The audit form, for an auditor whose case recording system has none: the active template's questions in its words
/// (GetAuditTemplate), answered question by question; "Preview" shows the grade and its reasons (PreviewGrade),
/// "Submit" stores the audit (GradeAudit), each as the signed-in person, who is its auditor. The service's refusals
/// are shown against the questions they concern.
/// </summary>
[Authorize(Policy = Policies.Grade)]
[RequestSizeLimit(2 * 1024 * 1024)]
public sealed partial class NewModel(PageContract contract) : PageModel
{
    /// <summary>How many recommendations the form offers.</summary>
    public const int RecommendationRows = 3;

    /// <summary>The template the form asks.</summary>
    public AuditTemplate Template { get; private set; } = new();

    [BindProperty] public string AuditId { get; set; } = "";
    [BindProperty] public string CaseReference { get; set; } = "";
    [BindProperty] public string Team { get; set; } = "";
    [BindProperty] public string Strengths { get; set; } = "";
    [BindProperty] public string Learning { get; set; } = "";
    [BindProperty] public string SummaryOfFindings { get; set; } = "";
    [BindProperty] public List<string> RecommendationTexts { get; set; } = [];
    [BindProperty] public List<CroydonValue> RecommendationValues { get; set; } = [];
    [BindProperty] public string LearningPoints { get; set; } = "";

    /// <summary>The answers given, by question id.</summary>
    public Dictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);

    /// <summary>What is wrong, by the form field's id (a question's id for an answer), in the service's words.</summary>
    public List<(string Field, string Problem)> Problems { get; } = [];

    /// <summary>The grade the audit would get, after "Preview".</summary>
    public GradingResult? Preview { get; private set; }

    /// <summary>Whether the signed-in person's token limits them to a team.</summary>
    public string? OwnTeam => Caller.Of(User).Team;

    /// <summary>The form's id of a question's input.</summary>
    public static string FieldId(string questionId) => "q-" + questionId.Replace('.', '-');

    /// <summary>Shows the form.</summary>
    public async Task OnGetAsync()
    {
        await LoadAsync();
        Team = OwnTeam ?? "";
    }

    /// <summary>Grades the audit as it is, storing nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        await LoadAsync();
        ReadAnswers();
        await CallAsync(async options => Preview = (await contract.Grading.PreviewGradeAsync(new PreviewGradeRequest { Audit = Audit() }, options)).Result);
        return Page();
    }

    /// <summary>Stores the audit, then shows it.</summary>
    public async Task<IActionResult> OnPostSubmitAsync()
    {
        await LoadAsync();
        ReadAnswers();
        GradingResult? stored = null;
        await CallAsync(async options => stored = (await contract.Grading.GradeAuditAsync(new GradeAuditRequest { Audit = Audit() }, options)).Result);
        return stored is null ? Page() : LocalRedirect($"/audits/{Uri.EscapeDataString(stored.AuditId)}");
    }

    // The audit as the form gives it: the answers to the template's questions, the free texts, and the signed-in person as its auditor.
    private AuditSubmission Audit()
    {
        var audit = new AuditSubmission
        {
            AuditId = AuditId?.Trim() ?? "",
            CaseReference = CaseReference?.Trim() ?? "",
            AuditorId = Caller.Of(User).Subject,
            Team = OwnTeam ?? Team?.Trim() ?? "",
            Strengths = Strengths?.Trim() ?? "",
            Learning = Learning?.Trim() ?? "",
            SummaryOfFindings = SummaryOfFindings?.Trim() ?? "",
            OrganisationalLearningPoints = { (LearningPoints ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) },
        };
        for (var i = 0; i < RecommendationTexts.Count && i < RecommendationRows; i++)
        {
            if (!string.IsNullOrWhiteSpace(RecommendationTexts[i]))
            {
                audit.Recommendations.Add(new Recommendation { Text = RecommendationTexts[i].Trim(), Value = i < RecommendationValues.Count ? RecommendationValues[i] : CroydonValue.Unspecified });
            }
        }

        // In the template's order, so a refusal's answers[i] names the question the form shows.
        foreach (var question in Template.Sections.SelectMany(s => s.Questions))
        {
            if (Answers.TryGetValue(question.Id, out var value) && value.Length > 0)
            {
                audit.Answers.Add(new Answer { QuestionId = question.Id, Value = value });
            }
        }

        return audit;
    }

    private void ReadAnswers()
    {
        foreach (var question in Template.Sections.SelectMany(s => s.Questions))
        {
            var given = Request.Form[FieldId(question.Id)].ToString().Trim();
            if (given.Length > 0)
            {
                Answers[question.Id] = given;
            }
        }
    }

    private async Task CallAsync(Func<CallOptions, Task> call)
    {
        try
        {
            await call(contract.As(HttpContext));
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.InvalidArgument or Grpc.Core.StatusCode.PermissionDenied)
        {
            var violations = e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations;
            if (violations is null)
            {
                Problems.Add(("audit-id", e.Status.Detail));
                return;
            }

            var answered = Audit().Answers;
            foreach (var violation in violations)
            {
                Problems.Add((FieldOf(violation.Field, answered), $"{Named(violation.Field, answered)} {violation.Description}"));
            }
        }
    }

    // The form field a violation's path concerns: a question's input for an answer, else the field's own.
    private static string FieldOf(string path, IReadOnlyList<Answer> answered) =>
        AnswerIndex().Match(path) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < answered.Count
            ? FieldId(answered[i].QuestionId)
            : path.Replace("audit.", "", StringComparison.Ordinal).Split('[', '.')[0].Replace('_', '-');

    // What a violation is about, in the form's words rather than the contract's field path.
    private string Named(string path, IReadOnlyList<Answer> answered) =>
        AnswerIndex().Match(path) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < answered.Count
            ? $"The answer to “{Template.Sections.SelectMany(s => s.Questions).FirstOrDefault(q => q.Id == answered[i].QuestionId)?.Text ?? answered[i].QuestionId}”:"
            : path.Replace("audit.", "", StringComparison.Ordinal).Split('[', '.')[0] switch
            {
                "audit_id" => "The audit's reference",
                "case_reference" => "The case reference",
                "team" => "The team",
                "areas" => "The areas",
                var field => Grading.Text.Words.Named(string.Concat(field.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]))),
            };

    private async Task LoadAsync() =>
        Template = (await contract.Grading.GetAuditTemplateAsync(new GetAuditTemplateRequest(), contract.As(HttpContext))).Template;

    [GeneratedRegex(@"^audit\.answers\[(\d+)\]")]
    private static partial Regex AnswerIndex();
}
