using System.Buffers;
using Croydon.Audit.V1;
using static CroydonAudit.Contracts.Validation.FieldViolations;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Contracts.Validation;

/// <summary>
/// Checks an audit before any rule sees it, collecting every violation (not just the first) with its
/// field path, e.g. <c>audit.areas[3].grade</c>. proto3 lets unknown enum numbers through; they are refused here.
/// </summary>
public static class AuditSubmissionValidator
{
    /// <summary>The longest id: audit_id, case_reference, auditor_id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The longest free text.</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>The most recommendations, and the most organisational learning points.</summary>
    public const int MaxListLength = 50;

    /// <summary>The most areas an audit lists: each of the nine at most once.</summary>
    public const int MaxAreas = 9;

    /// <summary>The most answers an audit may give, and the longest question id.</summary>
    public const int MaxAnswers = 300, MaxQuestionIdLength = 100;

    private static readonly SearchValues<char> QuestionIdCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Every violation in the audit; empty when it may be graded.</summary>
    public static List<FieldViolation> Validate(AuditSubmission? audit, string path = "audit")
    {
        var violations = new List<FieldViolation>();
        if (audit is null)
        {
            violations.Add(Violation(path, "is required: send the audit to grade."));
            return violations;
        }

        CheckId(violations, new(path, "audit_id"), audit.AuditId, restrictCharacters: true);
        CheckId(violations, new(path, "case_reference"), audit.CaseReference, restrictCharacters: true);
        CheckId(violations, new(path, "auditor_id"), audit.AuditorId, restrictCharacters: false);
        CheckText(violations, new(path, "team"), audit.Team);
        CheckInstant(violations, new(path, "audited_at"), audit.AuditedAt);

        CheckAreas(violations, path, audit);
        CheckEnum(violations, new(path, "proposed_overall_grade"), audit.ProposedOverallGrade);
        CheckText(violations, new(path, "override_rationale"), audit.OverrideRationale);
        if (audit.KeyEvidence is { } evidence)
        {
            const string at = "key_evidence";
            CheckEnum(violations, new(path, at, Child: "advocacy"), evidence.Advocacy);
            CheckEnum(violations, new(path, at, Child: "mental_capacity"), evidence.MentalCapacity);
            CheckEnum(violations, new(path, at, Child: "care_act"), evidence.CareAct);
            CheckEnum(violations, new(path, at, Child: "person_involvement"), evidence.PersonInvolvement);
            CheckEnum(violations, new(path, at, Child: "risk"), evidence.Risk);
            CheckEnum(violations, new(path, at, Child: "outcomes"), evidence.Outcomes);
            CheckEnum(violations, new(path, at, Child: "policy_application"), evidence.PolicyApplication);
        }

        if (audit.Safeguarding is { } safeguarding)
        {
            CheckText(violations, new(path, "safeguarding", Child: "action_taken"), safeguarding.ActionTaken);
            CheckEnum(violations, new(path, "safeguarding", Child: "procedure_followed"), safeguarding.ProcedureFollowed);
        }

        CheckText(violations, new(path, "strengths"), audit.Strengths);
        CheckText(violations, new(path, "learning"), audit.Learning);
        CheckText(violations, new(path, "summary_of_findings"), audit.SummaryOfFindings);
        for (var i = 0; CheckCount(violations, new(path, "recommendations"), audit.Recommendations.Count) && i < audit.Recommendations.Count; i++)
        {
            CheckText(violations, new(path, "recommendations", i, "text"), audit.Recommendations[i].Text);
            CheckEnum(violations, new(path, "recommendations", i, "value"), audit.Recommendations[i].Value);
        }

        for (var i = 0; CheckCount(violations, new(path, "organisational_learning_points"), audit.OrganisationalLearningPoints.Count) && i < audit.OrganisationalLearningPoints.Count; i++)
        {
            CheckText(violations, new(path, "organisational_learning_points", i), audit.OrganisationalLearningPoints[i]);
        }

        CheckAnswers(violations, path, audit);
        return violations;
    }

    // The answers' shape: what each names against the template is checked where the template is known (TemplateAnswers).
    private static void CheckAnswers(List<FieldViolation> violations, string path, AuditSubmission audit)
    {
        if (audit.Answers.Count > MaxAnswers)
        {
            violations.Add(Violation(new(path, "answers"), $"may have at most {MaxAnswers} answers, not {audit.Answers.Count}."));
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < audit.Answers.Count; i++)
        {
            var answer = audit.Answers[i];
            var id = new FieldPath(path, "answers", i, "question_id");
            if (answer.QuestionId.Length is 0 or > MaxQuestionIdLength || answer.QuestionId.AsSpan().ContainsAnyExcept(QuestionIdCharacters))
            {
                violations.Add(Violation(id, $"must be a question's id from the audit template: 1 to {MaxQuestionIdLength} lower-case letters, digits, '-' and '.'."));
            }
            else if (!seen.TryAdd(answer.QuestionId, i))
            {
                violations.Add(Violation(id, $"answers \"{answer.QuestionId}\", which {new FieldPath(path, "answers", seen[answer.QuestionId])} answers already: answer each question once."));
            }

            var value = new FieldPath(path, "answers", i, "value");
            if (string.IsNullOrWhiteSpace(answer.Value))
            {
                violations.Add(Violation(value, "is required: an option's id, yes or no, or the text; leave an unanswered question out."));
            }
            else
            {
                CheckText(violations, value, answer.Value);
            }
        }
    }

    private static void CheckAreas(List<FieldViolation> violations, string path, AuditSubmission audit)
    {
        // Counted first: a list over its limit is refused as a whole, not examined entry by entry.
        if (audit.Areas.Count > MaxAreas)
        {
            violations.Add(Violation(new(path, "areas"), $"may list at most {MaxAreas} areas (each of the nine at most once), not {audit.Areas.Count}."));
            return;
        }

        // Where each of the nine areas (numbered 1 to 9) was first listed, plus one; 0: not yet.
        Span<int> firstListedAt = stackalloc int[MaxAreas + 1];
        var graded = 0;
        for (var i = 0; i < audit.Areas.Count; i++)
        {
            var area = audit.Areas[i];
            if (area.Area == PracticeArea.Unspecified || !System.Enum.IsDefined(area.Area))
            {
                violations.Add(Violation(new(path, "areas", i, "area"), $"must be one of the nine areas of best practice (1-9), not {(int)area.Area}."));
            }
            else if (firstListedAt[(int)area.Area] is > 0 and var first)
            {
                violations.Add(Violation(new(path, "areas", i, "area"), $"{area.Area} is listed more than once (first at {new FieldPath(path, "areas", first - 1)}); list each area at most once."));
            }
            else
            {
                firstListedAt[(int)area.Area] = i + 1;
            }

            CheckEnum(violations, new(path, "areas", i, "grade"), area.Grade);
            var hasGrade = area.Grade != Grade.Unspecified;
            if (hasGrade && area.NotApplicable)
            {
                violations.Add(Violation(new(path, "areas", i, "grade"), "must be empty when the area is marked not applicable: give a grade or mark it not applicable, not both."));
            }

            if (area.SignificantConcern && (!hasGrade || area.NotApplicable))
            {
                violations.Add(Violation(new(path, "areas", i, "significant_concern"), "may only be set on a graded area."));
            }

            if (hasGrade && !area.NotApplicable)
            {
                graded++;
            }

            CheckText(violations, new(path, "areas", i, "evidence"), area.Evidence);
            CheckText(violations, new(path, "areas", i, "good_practice"), area.GoodPractice);
            CheckText(violations, new(path, "areas", i, "significant_concern_detail"), area.SignificantConcernDetail);
        }

        // An area's grade may be given as an answer to its question instead ("assessment.grade": "good").
        if (graded == 0 && !audit.Answers.Any(a => a.QuestionId.EndsWith(".grade", StringComparison.Ordinal)
            && CroydonAudit.Grading.Templates.AuditTemplate.LevelOf(a.Value) != CroydonAudit.Grading.Domain.Grade.Unspecified))
        {
            violations.Add(Violation(new(path, "areas"), "must include at least one graded area (a grade, not marked not applicable)."));
        }
    }

    /// <summary>An id: required, at most 64 characters, no NUL; with <paramref name="restrictCharacters"/>, only letters, digits and . _ : -.</summary>
    public static void CheckId(List<FieldViolation> violations, FieldPath field, string value, bool restrictCharacters)
    {
        if (string.IsNullOrEmpty(value))
        {
            violations.Add(Violation(field, "is required."));
        }
        else if (value.Length > MaxIdLength)
        {
            violations.Add(Violation(field, $"must be at most {MaxIdLength} characters, not {value.Length}."));
        }
        else if (restrictCharacters && value.AsSpan().ContainsAnyExcept(IdCharacters))
        {
            violations.Add(Violation(field, "may contain only letters, digits and . _ : - (a pseudonymous reference, never a name)."));
        }
        else
        {
            CheckNoNul(violations, field, value);
        }
    }

    /// <summary>A free text: at most 20,000 characters, no NUL.</summary>
    public static void CheckText(List<FieldViolation> violations, FieldPath field, string value)
    {
        if (value.Length > MaxTextLength)
        {
            violations.Add(Violation(field, $"must be at most {MaxTextLength:N0} characters, not {value.Length:N0}."));
        }
        else
        {
            CheckNoNul(violations, field, value);
        }
    }

    // PostgreSQL text cannot hold U+0000; refused here, it is the caller's to fix rather than a store failure.
    private static void CheckNoNul(List<FieldViolation> violations, FieldPath field, string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            violations.Add(Violation(field, "must not contain the NUL character (U+0000)."));
        }
    }

    // False (after one violation) when the list is over its limit: its entries are then not examined.
    private static bool CheckCount(List<FieldViolation> violations, FieldPath field, int count)
    {
        if (count > MaxListLength)
        {
            if (!violations.Exists(v => v.Field == field.ToString()))
            {
                violations.Add(Violation(field, $"may have at most {MaxListLength} entries, not {count}."));
            }

            return false;
        }

        return true;
    }

}
