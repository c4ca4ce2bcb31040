using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;
using AnswerKind = CroydonAudit.Grading.Templates.AnswerKind;
using AuditSubmission = Croydon.Audit.V1.AuditSubmission;
using AuditTemplate = CroydonAudit.Grading.Templates.AuditTemplate;
using static CroydonAudit.Contracts.Validation.FieldViolations;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Contracts.Validation;

/// <summary>
/// Checks an audit's answers against the template it will be graded by: each question is the template's, each option
/// one of its question's, and an answer to one of the audit's own fields says what the field says, if it says anything.
/// Each problem names the question, the template's version and the nearest valid id.
/// </summary>
public static class TemplateAnswers
{
    /// <summary>
    /// What is wrong with the answers, as field violations (none when all is well); <paramref name="domain"/> is the audit
    /// already mapped, when the caller has it.
    /// </summary>
    public static List<FieldViolation> Validate(AuditSubmission audit, AuditTemplate template, Grading.Domain.AuditSubmission? domain = null, string path = "audit")
    {
        var violations = new List<FieldViolation>();
        var which = template.Version.Length == 0 ? "the audit template" : $"the audit template (version {template.Version})";
        for (var i = 0; i < audit.Answers.Count; i++)
        {
            var answer = audit.Answers[i];
            if (template.Question(answer.QuestionId) is not { } question)
            {
                violations.Add(Violation(new(path, "answers", i, "question_id"),
                    $"\"{answer.QuestionId}\" is not a question of {which}{Nearest(answer.QuestionId, template.Questions.Keys)}"));
            }
            else if (!question.Accepts(answer.Value))
            {
                violations.Add(Violation(new(path, "answers", i, "value"), question.Kind == AnswerKind.YesNo
                    ? $"must be \"yes\" or \"no\" for question \"{question.Id}\" of {which}."
                    : $"\"{Shown(answer.Value)}\" is not an option of question \"{question.Id}\" of {which}: its options are {Words.List([.. question.Options.Select(o => $"\"{o.Id}\"")], "or")}{Nearest(answer.Value, question.Options.Select(o => o.Id))}"));
            }
        }

        if (violations.Count == 0 && audit.Answers.Count > 0)
        {
            foreach (var (answer, typed) in ContractQuestions.Conflicts(domain ?? audit.ToDomain()))
            {
                var at = audit.Answers.Select((a, i) => (a, i)).First(x => x.a.QuestionId == answer.QuestionId && x.a.Value == answer.Value).i;
                violations.Add(Violation(new(path, "answers", at, "value"),
                    $"answers \"{answer.QuestionId}\" with \"{Shown(answer.Value)}\", but the audit's own field for that question says \"{Shown(typed)}\": give one of them, or both the same."));
            }
        }

        return violations;
    }

    private static string Nearest(string given, IEnumerable<string> known) =>
        NearestWord.Find(given, known) is { } nearest ? $"; did you mean \"{nearest}\"?" : ".";

    private static string Shown(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
