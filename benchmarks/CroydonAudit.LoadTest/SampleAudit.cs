using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;

namespace CroydonAudit.LoadTest;

/// <summary>A typical, complete audit: one area Requires improvement, Care Act compliance partial.</summary>
public static class SampleAudit
{
    private static readonly AuditSubmission Template = new()
    {
        CaseReference = "CR-100200",
        AuditorId = "auditor-3",
        Team = "Locality North",
        ProposedOverallGrade = Grade.Good,
        Areas =
        {
            Enum.GetValues<PracticeArea>()[1..].Select(area => new AreaAssessment
            {
                Area = area,
                Grade = area == PracticeArea.Assessment ? Grade.RequiresImprovement : Grade.Good,
                Evidence = "Assessment completed within twenty eight days with the adult present and her views recorded.",
                GoodPractice = "The worker visited promptly and listened carefully to the adult.",
            }),
        },
        KeyEvidence = new()
        {
            Advocacy = Advocacy.NotRequired,
            MentalCapacity = MentalCapacity.ConsideredAndDocumented,
            CareAct = CareActCompliance.Partial,
            PersonInvolvement = Involvement.Involved,
            Risk = RiskPractice.Weighed,
            Outcomes = Outcomes.Recorded,
            PolicyApplication = PolicyApplication.Good,
        },
        Strengths = "The worker built a trusting relationship with the adult and her daughter over several visits.",
        Learning = "Record the reasons for each decision at the time it is made, with the adult's own words.",
        SummaryOfFindings = "A thorough, timely assessment that kept the adult's wishes at the centre of the plan.",
        Recommendations =
        {
            new Recommendation { Text = "Share the carer's assessment with the GP surgery within two weeks.", Value = CroydonValue.OneTeam },
            new Recommendation { Text = "Review the care plan with the district nurses at the next visit.", Value = CroydonValue.TakingResponsibility },
        },
        OrganisationalLearningPoints = { "Carers' assessments are not always shared with health partners." },
    };

    /// <summary>The typical audit as a form built from the template sends it: the audit's own questions answered in answers, the typed fields unset.</summary>
    public static AuditSubmission TypicalAsAnswers(string auditId)
    {
        var typical = Typical(auditId).ToDomain();
        var answers = CroydonAudit.Grading.Templates.ContractQuestions.All.Select(q => (q.Id, Value: q.Read(typical))).Where(a => a.Value is not null);
        var audit = (typical with { Areas = [], KeyEvidence = CroydonAudit.Grading.Domain.KeyEvidence.None, ProposedOverallGrade = CroydonAudit.Grading.Domain.Grade.Unspecified }).ToContract();
        audit.Answers.Add(answers.Select(a => new Answer { QuestionId = a.Id, Value = a.Value! }));
        return audit;
    }

    public static AuditSubmission Typical(string auditId)
    {
        var audit = Template.Clone();
        audit.AuditId = auditId;
        return audit;
    }
}
