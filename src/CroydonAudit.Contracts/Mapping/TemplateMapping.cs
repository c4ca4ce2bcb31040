using CroydonAudit.Grading.Templates;
using Domain = CroydonAudit.Grading.Domain;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Contracts.Mapping;

/// <summary>The audit template, and an audit's answers in its words, as the contract's messages.</summary>
public static class TemplateMapping
{
    /// <summary>A rule set's template.</summary>
    public static V1.AuditTemplate ToContract(this AuditTemplate template, string ruleSetVersion) => new()
    {
        Version = template.Version,
        RuleSetVersion = ruleSetVersion,
        Label = template.Label,
        Sections =
        {
            template.Sections.Select(s => new V1.TemplateSection
            {
                Id = s.Id,
                Title = s.Title,
                Area = (V1.PracticeArea)s.Area,
                Questions =
                {
                    s.Questions.Select(q => new V1.TemplateQuestion
                    {
                        Id = q.Id,
                        Text = q.Text,
                        Help = q.Help,
                        Kind = q.Kind switch { AnswerKind.Choice => V1.AnswerKind.Choice, AnswerKind.YesNo => V1.AnswerKind.YesNo, _ => V1.AnswerKind.Text },
                        Options = { q.Options.Select(o => new V1.TemplateOption { Id = o.Id, Words = o.Words, Level = (V1.Grade)o.Level }) },
                        Required = q.Required,
                        Informational = q.Informational,
                        Label = q.Label,
                    }),
                },
            }),
        },
        Prompts = new V1.TemplatePrompts
        {
            Strengths = template.Prompts.Strengths,
            Learning = template.Prompts.Learning,
            SummaryOfFindings = template.Prompts.SummaryOfFindings,
            Recommendations = template.Prompts.Recommendations,
            OrganisationalLearningPoints = template.Prompts.OrganisationalLearningPoints,
        },
    };

    /// <summary>
    /// Every question an audit answers, in the template's order and words: a contract question answered by its field
    /// or by an answer, any other by its answer. A free-text answer's text stays in the submission.
    /// </summary>
    public static IEnumerable<V1.AnsweredQuestion> Answered(this AuditTemplate template, Domain.AuditSubmission audit)
    {
        var folded = ContractQuestions.Fold(audit);
        // Every template asks the contract's questions, which the folded audit answers: only the others are looked up.
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var answer in audit.Answers ?? [])
        {
            if (ContractQuestions.Find(answer.QuestionId) is null)
            {
                sent[answer.QuestionId] = answer.Value;
            }
        }

        foreach (var section in template.Sections)
        {
            foreach (var question in section.Questions)
            {
                var value = ContractQuestions.Find(question.Id) is { } contract ? contract.Read(folded) : sent.GetValueOrDefault(question.Id);
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                var option = question.Kind == AnswerKind.Text ? null : question.Option(value);
                yield return new V1.AnsweredQuestion
                {
                    QuestionId = question.Id,
                    SectionId = section.Id,
                    SectionTitle = section.Title,
                    Question = question.Text,
                    OptionId = option?.Id ?? "",
                    OptionWords = option?.Words ?? "",
                };
            }
        }

        // Answers to questions this template does not ask (a later template removed them): kept, and said so.
        foreach (var (id, value) in sent.Where(a => template.Question(a.Key) is null))
        {
            yield return new V1.AnsweredQuestion
            {
                QuestionId = id,
                SectionTitle = NotInTemplate,
                Question = id,
                OptionId = value.Length <= 60 && !value.Contains(' ', StringComparison.Ordinal) ? value : "",
            };
        }
    }

    /// <summary>The section title of answers to questions the template does not ask.</summary>
    public const string NotInTemplate = "Not in the current template";
}
