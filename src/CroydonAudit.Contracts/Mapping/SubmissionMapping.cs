using Google.Protobuf.WellKnownTypes;
using Domain = CroydonAudit.Grading.Domain;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Contracts.Mapping;

/// <summary>
/// Contract ↔ domain for what the auditor submitted. The domain's enums share the contract's numbers,
/// so enum values map by cast; validation has already refused unknown numbers.
/// </summary>
public static class SubmissionMapping
{
    /// <summary>The contract's submission as the grading library's.</summary>
    public static Domain.AuditSubmission ToDomain(this V1.AuditSubmission audit) => new(
        audit.AuditId,
        audit.CaseReference,
        audit.AuditorId,
        audit.Team,
        audit.AuditedAt?.ToDateTimeOffset(),
        [.. audit.Areas.Select(a => new Domain.AreaAssessment(
            (Domain.PracticeArea)a.Area,
            (Domain.Grade)a.Grade,
            a.NotApplicable,
            a.Evidence,
            a.GoodPractice,
            a.SignificantConcern,
            a.SignificantConcernDetail))],
        (Domain.Grade)audit.ProposedOverallGrade,
        audit.OverrideRationale,
        audit.KeyEvidence is { } k
            ? new Domain.KeyEvidence(
                (Domain.Advocacy)k.Advocacy,
                (Domain.MentalCapacity)k.MentalCapacity,
                (Domain.CareActCompliance)k.CareAct,
                (Domain.Involvement)k.PersonInvolvement,
                (Domain.RiskPractice)k.Risk,
                (Domain.Outcomes)k.Outcomes,
                (Domain.PolicyApplication)k.PolicyApplication)
            : Domain.KeyEvidence.None,
        audit.Safeguarding is { } s
            ? new Domain.Safeguarding(s.ImmediateRiskIdentified, s.ActionTaken, (Domain.ProcedureFollowed)s.ProcedureFollowed)
            : Domain.Safeguarding.None,
        audit.Strengths,
        audit.Learning,
        audit.SummaryOfFindings,
        [.. audit.Recommendations.Select(r => new Domain.Recommendation(r.Text, (Domain.CroydonValue)r.Value))],
        [.. audit.OrganisationalLearningPoints])
    {
        Answers = audit.Answers.Count == 0 ? null : [.. audit.Answers.Select(a => new Domain.QuestionAnswer(a.QuestionId, a.Value))],
    };

    /// <summary>The domain's submission as the contract's.</summary>
    public static V1.AuditSubmission ToContract(this Domain.AuditSubmission audit) => new()
    {
        AuditId = audit.AuditId,
        CaseReference = audit.CaseReference,
        AuditorId = audit.AuditorId,
        Team = audit.Team,
        AuditedAt = audit.AuditedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Areas =
        {
            audit.Areas.Select(a => new V1.AreaAssessment
            {
                Area = (V1.PracticeArea)a.Area,
                Grade = (V1.Grade)a.Grade,
                NotApplicable = a.NotApplicable,
                Evidence = a.Evidence,
                GoodPractice = a.GoodPractice,
                SignificantConcern = a.SignificantConcern,
                SignificantConcernDetail = a.SignificantConcernDetail,
            }),
        },
        ProposedOverallGrade = (V1.Grade)audit.ProposedOverallGrade,
        OverrideRationale = audit.OverrideRationale,
        // Nothing recorded maps back to no message, as it was most likely sent.
        KeyEvidence = audit.KeyEvidence == Domain.KeyEvidence.None ? null : new V1.KeyEvidence
        {
            Advocacy = (V1.Advocacy)audit.KeyEvidence.Advocacy,
            MentalCapacity = (V1.MentalCapacity)audit.KeyEvidence.MentalCapacity,
            CareAct = (V1.CareActCompliance)audit.KeyEvidence.CareAct,
            PersonInvolvement = (V1.Involvement)audit.KeyEvidence.PersonInvolvement,
            Risk = (V1.RiskPractice)audit.KeyEvidence.Risk,
            Outcomes = (V1.Outcomes)audit.KeyEvidence.Outcomes,
            PolicyApplication = (V1.PolicyApplication)audit.KeyEvidence.PolicyApplication,
        },
        Safeguarding = audit.Safeguarding == Domain.Safeguarding.None ? null : new V1.Safeguarding
        {
            ImmediateRiskIdentified = audit.Safeguarding.ImmediateRiskIdentified,
            ActionTaken = audit.Safeguarding.ActionTaken,
            ProcedureFollowed = (V1.ProcedureFollowed)audit.Safeguarding.ProcedureFollowed,
        },
        Strengths = audit.Strengths,
        Learning = audit.Learning,
        SummaryOfFindings = audit.SummaryOfFindings,
        Recommendations = { audit.Recommendations.Select(r => new V1.Recommendation { Text = r.Text, Value = (V1.CroydonValue)r.Value }) },
        OrganisationalLearningPoints = { audit.OrganisationalLearningPoints },
        Answers = { (audit.Answers ?? []).Select(a => new V1.Answer { QuestionId = a.QuestionId, Value = a.Value }) },
    };
}
