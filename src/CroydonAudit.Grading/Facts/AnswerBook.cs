using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// An audit's answers to its template's questions, worked out as rules ask for them: a contract question's from its
/// typed field (the audit folded: <see cref="ContractQuestions.Fold"/>), any other's from the answers sent. Each
/// answer is made once, on first asking: most rules read a few of the template's questions.
/// </summary>
internal sealed class AnswerBook(AuditSubmission folded, AuditTemplate template, BlandTextPolicy bland)
{
    private readonly Dictionary<string, AnswerFact> _answers = new(StringComparer.Ordinal);
    private IReadOnlyList<SectionFact>? _sections;
    private IReadOnlyList<AnswerFact>? _requiredUnanswered;

    /// <summary>The template the audit is answered against.</summary>
    public AuditTemplate Template => template;

    /// <summary>The answer to a question; for an id the template lacks (refused when the rules load), not answered.</summary>
    public AnswerFact Answer(string questionId)
    {
        if (_answers.TryGetValue(questionId, out var known))
        {
            return known;
        }

        var made = template.Question(questionId) is { } question ? Make(question) : Unknown(questionId);
        _answers[questionId] = made;
        return made;
    }

    /// <summary>A section as answered; an id the template lacks has nothing answered.</summary>
    public SectionFact Section(string sectionId) =>
        Sections().FirstOrDefault(s => s.SectionId == sectionId) ?? new SectionFact(sectionId, sectionId, PracticeArea.Unspecified, 0, 0, new int[5]);

    /// <summary>How many answers in the whole audit evidence a level.</summary>
    public int Evidencing(string level) => Sections().Sum(s => s.Evidencing(level));

    /// <summary>The questions a complete audit answers that this one does not, in the template's order.</summary>
    public IReadOnlyList<AnswerFact> RequiredUnanswered => _requiredUnanswered ??= [.. template.Required.Select(q => Answer(q.Id)).Where(a => !a.Answered)];

    private IReadOnlyList<SectionFact> Sections() => _sections ??= [.. template.Sections.Select(section =>
    {
        var levels = new int[5];
        var answered = 0;
        foreach (var question in section.Questions)
        {
            var answer = Answer(question.Id);
            answered += answer.Answered ? 1 : 0;
            levels[answer.Rank]++;
        }

        levels[0] = 0;
        return new SectionFact(section.Id, section.Title, section.Area, answered, section.Questions.Count - answered, levels);
    })];

    private AnswerFact Make(TemplateQuestion question)
    {
        var area = AuditTemplate.AreaOf(question.SectionId);
        var value = ContractQuestions.Find(question.Id) is { } contract ? contract.Read(folded) : Sent(question.Id);
        if (question.Kind == AnswerKind.Text)
        {
            var measure = bland.Measure(value);
            var text = new TextFact(question.Label, area, measure.IsEmpty, measure.Words, measure.IsBland);
            return new AnswerFact(question.Id, question.Label, area, !measure.IsEmpty, "", 0, text, measure.IsEmpty ? "not answered" : $"{measure.Words} word{(measure.Words == 1 ? "" : "s")}");
        }

        var option = value is null ? null : question.Option(value);
        var empty = new TextFact(question.Label, area, true, 0, false);
        return option is null
            ? new AnswerFact(question.Id, question.Label, area, false, "", 0, empty, "not answered")
            : new AnswerFact(question.Id, question.Label, area, true, option.Id, (int)option.Level, empty, option.Words);
    }

    // The last answer sent to a question (a question answered twice is refused when the audit is received).
    private string? Sent(string questionId) => folded.Answers?.LastOrDefault(a => a.QuestionId == questionId)?.Value;

    private static AnswerFact Unknown(string questionId) =>
        new(questionId, questionId, PracticeArea.Unspecified, false, "", 0, new TextFact(questionId, PracticeArea.Unspecified, true, 0, false), "not in the template");
}
