using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Templates;

/// <summary>
/// The questions the contract's typed fields answer (an area's grade, key evidence, safeguarding, the proposed grade):
/// fixed ids that every template keeps, with the options the contract's enums allow, so an audit sent with typed
/// fields, or with answers to these ids, or both, is read the same way. Everything else a template asks is data.
/// </summary>
public static class ContractQuestions
{
    /// <summary>The sections of the contract's own questions beside the nine areas.</summary>
    public const string KeyEvidenceSection = "key-evidence", SafeguardingSection = "safeguarding", OverallSection = "overall";

    /// <summary>Yes/no answers.</summary>
    public const string Yes = "yes", No = "no";

    private static readonly PracticeArea[] NineAreas = Enum.GetValues<PracticeArea>()[1..];

    private static readonly string[] GradeOptions = [.. Enum.GetValues<Grade>()[1..].Select(g => OptionId(g))];

    private static readonly Dictionary<string, ContractQuestion> ById;

    static ContractQuestions()
    {
        var all = new List<ContractQuestion>();
        foreach (var area in NineAreas)
        {
            var section = SectionOf(area);
            all.Add(new($"{section}.grade", section, AnswerKind.Choice, [.. GradeOptions, "not-applicable"], $"How well is {Words.Of(area).ToLowerInvariant()} evidenced?",
                a => Area(a, area) is { } x ? x.NotApplicable ? "not-applicable" : Option(x.Grade) : null,
                (d, v) => d.ChangeArea(area, v, static (x, v) => v == "not-applicable" ? x with { NotApplicable = true, Grade = Grade.Unspecified } : x with { Grade = Parse<Grade>(v), NotApplicable = false })));
            all.Add(new($"{section}.evidence", section, AnswerKind.Text, [], "The evidence for the grade (for an area that does not apply: why)",
                a => Text(Area(a, area)?.Evidence), (d, v) => d.ChangeArea(area, v, static (x, v) => x with { Evidence = v })));
            all.Add(new($"{section}.good-practice", section, AnswerKind.Text, [], "Good practice found",
                a => Text(Area(a, area)?.GoodPractice), (d, v) => d.ChangeArea(area, v, static (x, v) => x with { GoodPractice = v })));
            all.Add(new($"{section}.significant-concern", section, AnswerKind.YesNo, [Yes, No], "Is there a significant concern?",
                a => Area(a, area)?.SignificantConcern == true ? Yes : null, (d, v) => d.ChangeArea(area, v, static (x, v) => x with { SignificantConcern = v == Yes })));
            all.Add(new($"{section}.significant-concern-detail", section, AnswerKind.Text, [], "What the significant concern is",
                a => Text(Area(a, area)?.SignificantConcernDetail), (d, v) => d.ChangeArea(area, v, static (x, v) => x with { SignificantConcernDetail = v })));
        }

        all.Add(Evidence("advocacy", "Was advocacy needed, and provided?", e => e.Advocacy, (e, v) => e with { Advocacy = v }));
        all.Add(Evidence("mental-capacity", "How was mental capacity considered?", e => e.MentalCapacity, (e, v) => e with { MentalCapacity = v }));
        all.Add(Evidence("care-act", "Does the work comply with the Care Act and other relevant legislation?", e => e.CareAct, (e, v) => e with { CareAct = v }));
        all.Add(Evidence("person-involvement", "How were the person and their carers involved?", e => e.PersonInvolvement, (e, v) => e with { PersonInvolvement = v }));
        all.Add(Evidence("risk", "How were risks and protective factors weighed?", e => e.Risk, (e, v) => e with { Risk = v }));
        all.Add(Evidence("outcomes", "How were the person's outcomes gathered and used?", e => e.Outcomes, (e, v) => e with { Outcomes = v }));
        all.Add(Evidence("policy-application", "How were policy and procedure applied?", e => e.PolicyApplication, (e, v) => e with { PolicyApplication = v }));

        all.Add(new("immediate-risk-identified", SafeguardingSection, AnswerKind.YesNo, [Yes, No], "Was an immediate safeguarding risk identified?",
            a => a.Safeguarding.ImmediateRiskIdentified ? Yes : null, (d, v) => d.Safeguarding = d.Safeguarding with { ImmediateRiskIdentified = v == Yes }));
        all.Add(new("safeguarding-action-taken", SafeguardingSection, AnswerKind.Text, [], "What was done, and how was it managed?",
            a => Text(a.Safeguarding.ActionTaken), (d, v) => d.Safeguarding = d.Safeguarding with { ActionTaken = v }));
        all.Add(new("procedure-followed", SafeguardingSection, AnswerKind.Choice, Options<ProcedureFollowed>(), "Was the safeguarding procedure followed?",
            a => Option(a.Safeguarding.ProcedureFollowed), (d, v) => d.Safeguarding = d.Safeguarding with { ProcedureFollowed = Parse<ProcedureFollowed>(v) }));

        all.Add(new("proposed-overall-grade", OverallSection, AnswerKind.Choice, GradeOptions, "Your overall grade for the audit",
            a => Option(a.ProposedOverallGrade), (d, v) => d.ProposedOverallGrade = Parse<Grade>(v)));
        all.Add(new("override-rationale", OverallSection, AnswerKind.Text, [], "Why the overall grade may stand above the limit",
            a => Text(a.OverrideRationale), (d, v) => d.OverrideRationale = v));

        All = all;
        ById = all.ToDictionary(q => q.Id, StringComparer.Ordinal);
    }

    /// <summary>Every contract question, in the order of the audit's fields.</summary>
    public static IReadOnlyList<ContractQuestion> All { get; }

    /// <summary>The contract question with this id, or null.</summary>
    public static ContractQuestion? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>An area's section id: "risk-and-need", …, "impact".</summary>
    public static string SectionOf(PracticeArea area) => OptionIds<PracticeArea>.Of(area);

    /// <summary>The option id of a contract value: "requires-improvement", "not-acknowledged".</summary>
    public static string OptionId<TEnum>(TEnum value)
        where TEnum : struct, Enum => OptionIds<TEnum>.Of(value);

    /// <summary>
    /// The audit with its answers to contract questions given as its typed fields: an answer sets a typed field the audit
    /// left unset (a request with both, differing, is refused before: <see cref="Conflicts"/>); with
    /// <paramref name="overriding"/> it sets it whatever it was (a worked case written as differences from a base audit).
    /// Answers to other questions stay answers.
    /// </summary>
    public static AuditSubmission Fold(AuditSubmission audit, bool overriding = false)
    {
        if (audit.Answers is not { Count: > 0 } answers)
        {
            return audit;
        }

        // One draft for every answer, not a copy of the audit per answer: grading folds each audit sent as answers.
        AuditDraft? draft = null;
        foreach (var answer in answers)
        {
            if (Find(answer.QuestionId) is { } question && question.Accepts(answer.Value) && (overriding || question.Read(audit) is null))
            {
                question.Write(draft ??= new AuditDraft(audit), answer.Value);
            }
        }

        return draft?.Finish() ?? audit;
    }

    /// <summary>The contract questions an audit answers twice, differently: in a typed field and in an answer.</summary>
    public static IEnumerable<(QuestionAnswer Answer, string Typed)> Conflicts(AuditSubmission audit) =>
        (audit.Answers ?? []).Select(a => (Answer: a, Question: Find(a.QuestionId)))
            .Where(x => x.Question is not null && x.Question.Read(audit) is { } typed && typed != x.Answer.Value)
            .Select(x => (x.Answer, x.Question!.Read(audit)!));

    private static ContractQuestion Evidence<TEnum>(string id, string text, Func<KeyEvidence, TEnum> read, Func<KeyEvidence, TEnum, KeyEvidence> write)
        where TEnum : struct, Enum =>
        new(id, KeyEvidenceSection, AnswerKind.Choice, Options<TEnum>(), text,
            a => Option(read(a.KeyEvidence)), (d, v) => d.KeyEvidence = write(d.KeyEvidence, Parse<TEnum>(v)));

    private static string[] Options<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>()[1..].Select(v => OptionId(v))];

    private static string? Option<TEnum>(TEnum value)
        where TEnum : struct, Enum => OptionIds<TEnum>.OrNull(value);

    private static TEnum Parse<TEnum>(string option)
        where TEnum : struct, Enum => OptionIds<TEnum>.Parse(option);

    private static string? Text(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static AreaAssessment? Area(AuditSubmission audit, PracticeArea area)
    {
        foreach (var assessment in audit.Areas)
        {
            if (assessment.Area == area)
            {
                return assessment;
            }
        }

        return null;
    }

    /// <summary>A contract name as the template's ids write it: "CareAct" is "care-act".</summary>
    internal static string Kebab(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    // Each enum's option ids, made once: rules ask for answers on every grading.
    private static class OptionIds<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly Dictionary<TEnum, string> Ids = Enum.GetValues<TEnum>().ToDictionary(v => v, v => Kebab(v.ToString()));
        private static readonly Dictionary<string, TEnum> Values = Ids.ToDictionary(x => x.Value, x => x.Key, StringComparer.Ordinal);

        public static string Of(TEnum value) => Ids.TryGetValue(value, out var id) ? id : Kebab(value.ToString());

        // The unset value (0) reads as no answer.
        public static string? OrNull(TEnum value) => EqualityComparer<TEnum>.Default.Equals(value, default) ? null : Of(value);

        public static TEnum Parse(string option) => Values.GetValueOrDefault(option);
    }
}

/// <summary>An audit being changed by the answers folded into it; <see cref="Finish"/> makes the audit once.</summary>
public sealed class AuditDraft(AuditSubmission audit)
{
    private List<AreaAssessment>? _areas;

    /// <summary>The key evidence as answered so far.</summary>
    public KeyEvidence KeyEvidence { get; set; } = audit.KeyEvidence;

    /// <summary>Safeguarding as answered so far.</summary>
    public Safeguarding Safeguarding { get; set; } = audit.Safeguarding;

    /// <summary>The proposed overall grade as answered so far.</summary>
    public Grade ProposedOverallGrade { get; set; } = audit.ProposedOverallGrade;

    /// <summary>The override rationale as answered so far.</summary>
    public string OverrideRationale { get; set; } = audit.OverrideRationale;

    /// <summary>Changes an area's assessment by an answer, adding the area (ungraded, empty) when the audit had none.</summary>
    public void ChangeArea(PracticeArea area, string answer, Func<AreaAssessment, string, AreaAssessment> change)
    {
        var areas = _areas ??= [.. audit.Areas];
        for (var i = 0; i < areas.Count; i++)
        {
            if (areas[i].Area == area)
            {
                areas[i] = change(areas[i], answer);
                return;
            }
        }

        areas.Add(change(new AreaAssessment(area, Grade.Unspecified, false, "", "", false, ""), answer));
    }

    /// <summary>The audit with every answer folded in.</summary>
    public AuditSubmission Finish() => audit with
    {
        Areas = _areas ?? audit.Areas,
        KeyEvidence = KeyEvidence,
        Safeguarding = Safeguarding,
        ProposedOverallGrade = ProposedOverallGrade,
        OverrideRationale = OverrideRationale,
    };
}

/// <summary>A question a typed field of the contract answers.</summary>
/// <param name="Id">Its fixed id.</param>
/// <param name="SectionId">The section it belongs to.</param>
/// <param name="Kind">How it is answered.</param>
/// <param name="Options">Its options' ids (choice), "yes" and "no", or none (free text).</param>
/// <param name="DefaultText">The question in words, where a template does not word it.</param>
/// <param name="Read">Its answer as the typed field gives it, or null when the field is unset.</param>
/// <param name="Write">Sets the typed field in a draft from an answer.</param>
public sealed record ContractQuestion(
    string Id, string SectionId, AnswerKind Kind, IReadOnlyList<string> Options, string DefaultText,
    Func<AuditSubmission, string?> Read, Action<AuditDraft, string> Write)
{
    /// <summary>Whether a value is an answer this question can take.</summary>
    public bool Accepts(string value) => Kind == AnswerKind.Text || Options.Contains(value);
}
