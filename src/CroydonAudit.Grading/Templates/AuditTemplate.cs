using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Templates;

/// <summary>
/// The audit template (<c>rules/template.json</c>): the sections an audit is in, the questions each asks in
/// Croydon's words, how each is answered, the options of a choice and the descriptor level each evidences, which
/// answers a complete audit needs, and the prompts for the free texts. Part of the rule set: it has a version of its
/// own (a hash of its file), and rules read answers by its question ids.
/// </summary>
public sealed class AuditTemplate
{
    private readonly Dictionary<string, TemplateQuestion> _questions;

    /// <summary>A template of these sections.</summary>
    public AuditTemplate(string version, string label, IReadOnlyList<TemplateSection> sections, TemplatePrompts prompts)
    {
        (Version, Label, Sections, Prompts) = (version, label, sections, prompts);
        _questions = sections.SelectMany(s => s.Questions).ToDictionary(q => q.Id, StringComparer.Ordinal);
        Required = [.. sections.SelectMany(s => s.Questions).Where(q => q.Required)];
    }

    // Looked up for every answer a rule reads: made once.
    private static readonly Dictionary<string, PracticeArea> AreasBySection =
        Enum.GetValues<PracticeArea>()[1..].ToDictionary(ContractQuestions.SectionOf, StringComparer.Ordinal);

    private static readonly Dictionary<string, Grade> LevelsById = Enum.GetValues<Grade>()[1..].ToDictionary(g => ContractQuestions.OptionId(g), StringComparer.Ordinal);

    /// <summary>
    /// The template a rule set without <c>template.json</c> has (every version stored before templates were data):
    /// the contract's own questions, worded as the contract words them. Its version is empty.
    /// </summary>
    public static AuditTemplate Contract { get; } = new(
        "",
        "The contract's questions",
        [.. ContractQuestions.All.GroupBy(q => q.SectionId).Select(g => new TemplateSection(
            g.Key, SectionTitle(g.Key), AreaOf(g.Key),
            [.. g.Select(q => new TemplateQuestion(
                q.Id, g.Key, q.DefaultText, q.DefaultText, "", q.Kind,
                [.. q.Options.Select(o => new TemplateOption(o, Text.Words.Describe(o.Replace('-', ' ')), LevelOf(o)))], Required: false, Informational: true))]))],
        TemplatePrompts.Contract);

    /// <summary>A hash of the template's file (16 hexadecimal digits); empty for <see cref="Contract"/>.</summary>
    public string Version { get; }

    /// <summary>A short name for people.</summary>
    public string Label { get; }

    /// <summary>The sections, in the order an auditor meets them.</summary>
    public IReadOnlyList<TemplateSection> Sections { get; }

    /// <summary>The prompts for the audit's free texts.</summary>
    public TemplatePrompts Prompts { get; }

    /// <summary>The questions a complete audit answers.</summary>
    public IReadOnlyList<TemplateQuestion> Required { get; }

    /// <summary>Every question, by id.</summary>
    public IReadOnlyDictionary<string, TemplateQuestion> Questions => _questions;

    /// <summary>The question with this id, or null.</summary>
    public TemplateQuestion? Question(string id) => _questions.GetValueOrDefault(id);

    /// <summary>The area a section is, or Unspecified for the sections beside the nine areas.</summary>
    public static PracticeArea AreaOf(string sectionId) => AreasBySection.GetValueOrDefault(sectionId);

    /// <summary>The descriptor level an option id names, when it is a grade's ("requires-improvement"), else Unspecified.</summary>
    public static Grade LevelOf(string id) => LevelsById.GetValueOrDefault(id);

    private static string SectionTitle(string id) => AreaOf(id) is var area and not PracticeArea.Unspecified
        ? Text.Words.Of(area)
        : id switch
        {
            ContractQuestions.KeyEvidenceSection => "Key evidence",
            ContractQuestions.SafeguardingSection => "Safeguarding",
            _ => "The overall grade",
        };
}

/// <summary>A section of the audit: one of the nine areas, or a part beside them (key evidence, safeguarding, the overall grade).</summary>
/// <param name="Id">Its id, e.g. "family-engagement".</param>
/// <param name="Title">Its title in Croydon's words.</param>
/// <param name="Area">The area it is, or Unspecified.</param>
/// <param name="Questions">Its questions, in order.</param>
public sealed record TemplateSection(string Id, string Title, PracticeArea Area, IReadOnlyList<TemplateQuestion> Questions);

/// <summary>How a question is answered.</summary>
public enum AnswerKind
{
    /// <summary>One of its options.</summary>
    Choice,
    /// <summary>Yes or no.</summary>
    YesNo,
    /// <summary>Free text.</summary>
    Text,
}

/// <summary>One question of the template.</summary>
/// <param name="Id">Its id: how rules, answers and worked cases name it, e.g. "family-engagement.carers-assessment".</param>
/// <param name="SectionId">The section it is in.</param>
/// <param name="Text">The question as the auditor reads it.</param>
/// <param name="Label">What it is about, in a few words, for messages ("carer's assessment").</param>
/// <param name="Help">Help text, or empty.</param>
/// <param name="Kind">How it is answered.</param>
/// <param name="Options">A choice's options; a yes/no question's "yes" and "no"; none for free text.</param>
/// <param name="Required">A complete audit answers it.</param>
/// <param name="Informational">No rule needs to read it (the check does not count it as uncovered).</param>
public sealed record TemplateQuestion(
    string Id, string SectionId, string Text, string Label, string Help, AnswerKind Kind, IReadOnlyList<TemplateOption> Options, bool Required, bool Informational)
{
    /// <summary>The option with this id, or null.</summary>
    public TemplateOption? Option(string id) => Options.FirstOrDefault(o => o.Id == id);

    /// <summary>Whether a value is an answer this question can take.</summary>
    public bool Accepts(string value) => Kind == AnswerKind.Text || Option(value) is not null;
}

/// <summary>An option of a choice (or a yes/no question's yes or no).</summary>
/// <param name="Id">Its id, e.g. "not-offered".</param>
/// <param name="Words">As the auditor reads it.</param>
/// <param name="Level">The descriptor level it evidences, or Unspecified.</param>
public sealed record TemplateOption(string Id, string Words, Grade Level);

/// <summary>The prompts for the audit's free texts.</summary>
/// <param name="Strengths">The areas of good practice found.</param>
/// <param name="Learning">What the learning is.</param>
/// <param name="SummaryOfFindings">The summary of findings.</param>
/// <param name="Recommendations">Recommendations, each in line with a Croydon value.</param>
/// <param name="OrganisationalLearningPoints">Points for the organisation's audit report.</param>
public sealed record TemplatePrompts(string Strengths, string Learning, string SummaryOfFindings, string Recommendations, string OrganisationalLearningPoints)
{
    /// <summary>The contract's own wording.</summary>
    public static TemplatePrompts Contract { get; } = new(
        "The areas of good practice found",
        "What the learning is from this piece of work",
        "Your summary of findings, with evidence from the case file",
        "Your recommendations, each in line with one of Croydon's values",
        "Points for the organisation's audit report");
}
