namespace CroydonAudit.Grading.Domain;

/// <summary>One case file audit as the auditor filled it in.</summary>
/// <param name="AuditId">The caller's id for this audit; the idempotency key.</param>
/// <param name="CaseReference">Pseudonymous case id from the recording system, never a name.</param>
/// <param name="AuditorId">Who audited the case file.</param>
/// <param name="Team">The team whose work was audited.</param>
/// <param name="AuditedAt">When the audit was done, if the auditor said.</param>
/// <param name="Areas">The areas of best practice as assessed.</param>
/// <param name="ProposedOverallGrade">The auditor's own overall judgement, if any.</param>
/// <param name="OverrideRationale">Why the overall grade may stand above the cap.</param>
/// <param name="KeyEvidence">The descriptor table's decisive evidence.</param>
/// <param name="Safeguarding">Immediate safeguarding, if identified.</param>
/// <param name="Strengths">The areas of good practice found.</param>
/// <param name="Learning">What the learning is from this piece of work.</param>
/// <param name="SummaryOfFindings">The auditor's summary, with evidence from the case file.</param>
/// <param name="Recommendations">The auditor's recommendations.</param>
/// <param name="OrganisationalLearningPoints">Points for the organisation's audit report.</param>
public sealed record AuditSubmission(
    string AuditId,
    string CaseReference,
    string AuditorId,
    string Team,
    DateTimeOffset? AuditedAt,
    IReadOnlyList<AreaAssessment> Areas,
    Grade ProposedOverallGrade,
    string OverrideRationale,
    KeyEvidence KeyEvidence,
    Safeguarding Safeguarding,
    string Strengths,
    string Learning,
    string SummaryOfFindings,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<string> OrganisationalLearningPoints)
{
    /// <summary>
    /// Answers to the template's questions, as sent, in order; null when none (so an audit sent without any is stored,
    /// and hashed, exactly as before answers existed). The typed fields above answer the contract's own questions
    /// (<see cref="Templates.ContractQuestions"/>); an answer may give one of those instead.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuestionAnswer>? Answers { get; init; }
}
