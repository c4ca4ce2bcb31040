using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// The plain facts of one audit that rule expressions see as the input <c>audit</c>: ranks, the
/// median, the worst area, word counts, blandness. Policy (what the facts mean) stays in the rules.
/// Texts appear only as <see cref="TextFact"/>s, so rules and templates never see free text.
/// </summary>
public sealed record AuditFacts
{
    /// <summary>A proposed overall grade was given.</summary>
    public required bool HasProposedGrade { get; init; }

    /// <summary>The proposed overall grade, Unspecified when none.</summary>
    public required Grade ProposedGrade { get; init; }

    /// <summary>Its rank, 0 when none.</summary>
    public required int ProposedRank { get; init; }

    /// <summary>How many areas are graded (have a grade and are not marked not applicable).</summary>
    public required int GradedAreaCount { get; init; }

    /// <summary>The median of the graded areas: sorted ranks, the element at floor(n/2).</summary>
    public required Grade MedianGrade { get; init; }

    /// <summary>Its rank, 0 when no area is graded.</summary>
    public required int MedianRank { get; init; }

    /// <summary>The worst grade among the graded areas.</summary>
    public required Grade LowestGrade { get; init; }

    /// <summary>Its rank (the largest), 0 when no area is graded.</summary>
    public required int WorstRank { get; init; }

    /// <summary>The areas graded <see cref="LowestGrade"/>, in words ("Assessment and Impact").</summary>
    public required string LowestAreas { get; init; }

    /// <summary>All nine areas in the guidance's order, listed or not.</summary>
    public required IReadOnlyList<AreaFact> Areas { get; init; }

    /// <summary>The areas with a significant concern, in words.</summary>
    public required string ConcernAreas { get; init; }

    /// <summary>Key evidence: advocacy.</summary>
    public required Advocacy Advocacy { get; init; }

    /// <summary>Key evidence: mental capacity.</summary>
    public required MentalCapacity MentalCapacity { get; init; }

    /// <summary>Key evidence: Care Act compliance.</summary>
    public required CareActCompliance CareAct { get; init; }

    /// <summary>Key evidence: the person's involvement.</summary>
    public required Involvement PersonInvolvement { get; init; }

    /// <summary>Key evidence: risk practice.</summary>
    public required RiskPractice Risk { get; init; }

    /// <summary>Key evidence: outcomes.</summary>
    public required Outcomes Outcomes { get; init; }

    /// <summary>Key evidence: policy application.</summary>
    public required PolicyApplication PolicyApplication { get; init; }

    /// <summary>The seven key evidence fields and whether each was recorded.</summary>
    public required IReadOnlyList<KeyEvidenceFact> KeyEvidence { get; init; }

    /// <summary>An immediate safeguarding risk was identified.</summary>
    public required bool ImmediateRiskIdentified { get; init; }

    /// <summary>What was done about it.</summary>
    public required TextFact SafeguardingActionTaken { get; init; }

    /// <summary>Whether the safeguarding procedure was followed.</summary>
    public required ProcedureFollowed ProcedureFollowed { get; init; }

    /// <summary>The override rationale.</summary>
    public required TextFact OverrideRationale { get; init; }

    /// <summary>The strengths text.</summary>
    public required TextFact Strengths { get; init; }

    /// <summary>The learning text.</summary>
    public required TextFact Learning { get; init; }

    /// <summary>The summary of findings.</summary>
    public required TextFact SummaryOfFindings { get; init; }

    /// <summary>The recommendations, in order.</summary>
    public required IReadOnlyList<RecommendationFact> Recommendations { get; init; }

    /// <summary>How many organisational learning points were given.</summary>
    public required int OrganisationalLearningPointCount { get; init; }

    /// <summary>
    /// The texts read for blandness: each listed area's evidence, good practice and concern detail;
    /// strengths; learning; summary of findings; each recommendation's text.
    /// </summary>
    public required IReadOnlyList<TextFact> Texts { get; init; }

    /// <summary>The template's questions a complete audit answers that this one does not, in the template's order.</summary>
    public IReadOnlyList<AnswerFact> RequiredUnanswered => Book.RequiredUnanswered;

    /// <summary>The audit's answers to its template's questions.</summary>
    internal AnswerBook Book { get; init; } = null!;

    /// <summary>The answer to the template's question <paramref name="questionId"/>, e.g. <c>audit.Answer("risk").Is("weighed")</c>.</summary>
    public AnswerFact Answer(string questionId) => Book.Answer(questionId);

    /// <summary>A section of the template as answered, e.g. <c>audit.Section("family-engagement").Evidencing("inadequate")</c>.</summary>
    public SectionFact Section(string sectionId) => Book.Section(sectionId);

    /// <summary>How many answers in the whole audit evidence a descriptor level ("outstanding" … "inadequate").</summary>
    public int Evidencing(string level) => Book.Evidencing(level);
}
