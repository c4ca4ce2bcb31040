using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Benchmarks;

/// <summary>The audits benchmarks grade: a typical one, and a worst case where every limit and finding fires.</summary>
public static class SampleAudits
{
    /// <summary>A complete audit, one area Requires improvement, Care Act partial: a few rules fire.</summary>
    public static AuditSubmission Typical(string auditId = "bench-typical") => new(
        auditId, "CR-100200", "auditor-3", "Locality North", null,
        [.. Enum.GetValues<PracticeArea>()[1..].Select(a => new AreaAssessment(
            a, a == PracticeArea.Assessment ? Grade.RequiresImprovement : Grade.Good, false,
            "Assessment completed within twenty eight days with the adult present and her views recorded.",
            "The worker visited promptly and listened carefully to the adult.", false, ""))],
        Grade.Good, "",
        new KeyEvidence(Advocacy.NotRequired, MentalCapacity.ConsideredAndDocumented, CareActCompliance.Partial,
            Involvement.Involved, RiskPractice.Weighed, Outcomes.Recorded, PolicyApplication.Good),
        Safeguarding.None,
        "The worker built a trusting relationship with the adult and her daughter over several visits.",
        "Record the reasons for each decision at the time it is made, with the adult's own words.",
        "A thorough, timely assessment that kept the adult's wishes at the centre of the plan.",
        [new Recommendation("Share the carer's assessment with the GP surgery within two weeks.", CroydonValue.OneTeam),
         new Recommendation("Review the care plan with the district nurses at the next visit.", CroydonValue.TakingResponsibility)],
        ["Carers' assessments are not always shared with health partners."]);

    /// <summary>
    /// The typical audit as a form built from the template sends it: every question of the audit's own fields answered
    /// in <c>answers</c>, the typed fields left unset (the free texts stay fields: they are prompts, not questions).
    /// </summary>
    public static AuditSubmission TypicalAsAnswers(string auditId = "bench-answers")
    {
        var typical = Typical(auditId);
        var answers = Grading.Templates.ContractQuestions.All.Select(q => (q.Id, Value: q.Read(typical))).Where(a => a.Value is not null)
            .Select(a => new QuestionAnswer(a.Id, a.Value!)).ToList();
        return typical with { Areas = [], KeyEvidence = KeyEvidence.None, ProposedOverallGrade = Grade.Unspecified, Answers = answers };
    }

    /// <summary>The same audit with another risk practice, so stored audits differ in what fires.</summary>
    public static AuditSubmission WithRisk(this AuditSubmission audit, RiskPractice risk) =>
        audit with { KeyEvidence = audit.KeyEvidence with { Risk = risk } };

    /// <summary>
    /// The most work grading can do: every rule that can fire together does (26 of 35). The rest are
    /// the other side of a choice — base.median versus base.proposed, a "partial" limit versus its
    /// "absent" one, no recommendations versus a recommendation without a value.
    /// </summary>
    public static AuditSubmission WorstCase() => new(
        "bench-worst", "CR-100201", "auditor-4", "Locality South", null,
        [
            new(PracticeArea.RiskAndNeed, Grade.Inadequate, false, "", "", true, ""),
            new(PracticeArea.Assessment, Grade.Good, false, "Fine.", "", false, ""),
            new(PracticeArea.PlansAndReviews, Grade.Unspecified, true, "", "", false, ""),
            new(PracticeArea.AdultVoice, Grade.Unspecified, false, "Well done", "", false, ""),
        ],
        Grade.Outstanding, "The adult's own account shows the risk was discussed openly and managed with her family.",
        KeyEvidence.None with
        {
            Advocacy = Advocacy.RequiredNotProvided, CareAct = CareActCompliance.NonCompliant, Risk = RiskPractice.NotAcknowledged,
            MentalCapacity = MentalCapacity.NotReferenced, PersonInvolvement = Involvement.NoEvidence, PolicyApplication = PolicyApplication.Absent,
        },
        new Safeguarding(true, "", ProcedureFollowed.No),
        "", "", "", [new Recommendation("Done.", CroydonValue.Unspecified)], []);
}
