using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Tests;

/// <summary>Test audits: a complete Good audit that fires no rule but base.proposed, and ways to change it.</summary>
public static class Audits
{
    public const string Evidence = "Assessment completed within twenty eight days with the adult present.";

    public static AuditSubmission CompleteGood() => new(
        AuditId: "audit-1",
        CaseReference: "case-1",
        AuditorId: "auditor-1",
        Team: "Locality East",
        AuditedAt: null,
        Areas: [.. Enum.GetValues<PracticeArea>()[1..].Select(a => Area(a, Grade.Good))],
        ProposedOverallGrade: Grade.Good,
        OverrideRationale: "",
        KeyEvidence: new KeyEvidence(
            Advocacy.NotRequired,
            MentalCapacity.ConsideredAndDocumented,
            CareActCompliance.Compliant,
            Involvement.Central,
            RiskPractice.Weighed,
            Outcomes.CentralAndRevisited,
            PolicyApplication.Good),
        Safeguarding: Safeguarding.None,
        Strengths: "The worker built a trusting relationship with the adult and her daughter.",
        Learning: "Record the reasons for each decision at the time it is made.",
        SummaryOfFindings: "A thorough, timely assessment that kept the adult's wishes at the centre.",
        Recommendations: [new Recommendation("Share the carers assessment with the GP surgery promptly.", CroydonValue.OneTeam)],
        OrganisationalLearningPoints: []);

    public static AreaAssessment Area(PracticeArea area, Grade grade) =>
        new(area, grade, false, Evidence, "The worker visited promptly and listened carefully.", false, "");

    public static AuditSubmission WithAreas(this AuditSubmission audit, params Grade[] grades) =>
        audit with { Areas = [.. grades.Select((g, i) => Area((PracticeArea)(i + 1), g))] };

    public static AuditSubmission WithArea(this AuditSubmission audit, PracticeArea area, Func<AreaAssessment, AreaAssessment> change) =>
        audit with { Areas = [.. audit.Areas.Select(a => a.Area == area ? change(a) : a)] };

    public static AuditSubmission WithKeyEvidence(this AuditSubmission audit, Func<KeyEvidence, KeyEvidence> change) =>
        audit with { KeyEvidence = change(audit.KeyEvidence) };

    public static IEnumerable<string> Fired(this GradingResult result) =>
        result.Trace.Where(t => t.Fired).Select(t => t.RuleId);
}
