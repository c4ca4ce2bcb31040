using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Facts;

/// <summary>Derives an audit's <see cref="AuditFacts"/> from its submission.</summary>
public static class AuditFactsBuilder
{
    private static readonly PracticeArea[] NineAreas = Enum.GetValues<PracticeArea>()[1..];

    // Labels are built once: grading runs inline while an auditor works, so it avoids needless allocations.
    private static readonly Dictionary<PracticeArea, (string Evidence, string GoodPractice, string Concern)> TextLabels =
        NineAreas.ToDictionary(a => a, a => ($"{Words.Of(a)} evidence", $"{Words.Of(a)} good practice", $"{Words.Of(a)} significant concern detail"));

    // "the second recommendation", as a person would say it, not "recommendation 2".
    private static readonly string[] RecommendationLabels = [.. Enumerable.Range(1, 50).Select(n => $"{Ordinal(n)} recommendation")];

    /// <summary>
    /// Derives the facts; texts are measured by the rule set's bland text policy, and answers read against its template
    /// (by default the contract's questions). Answers to the contract's questions count as its typed fields.
    /// </summary>
    public static AuditFacts Build(AuditSubmission audit, BlandTextPolicy bland, AuditTemplate? template = null)
    {
        audit = ContractQuestions.Fold(audit);
        var texts = new List<TextFact>(3 * NineAreas.Length + 3 + audit.Recommendations.Count);
        var areas = new AreaFact[NineAreas.Length];
        for (var i = 0; i < NineAreas.Length; i++)
        {
            areas[i] = BuildArea(NineAreas[i], FindArea(audit.Areas, NineAreas[i]), bland, texts);
        }

        // "The statement of strengths is bland", not "The strengths is bland".
        var strengths = Measure(bland, "statement of strengths", PracticeArea.Unspecified, audit.Strengths);
        var learning = Measure(bland, "learning", PracticeArea.Unspecified, audit.Learning);
        var summary = Measure(bland, "summary of findings", PracticeArea.Unspecified, audit.SummaryOfFindings);
        texts.Add(strengths);
        texts.Add(learning);
        texts.Add(summary);

        var recommendations = new RecommendationFact[audit.Recommendations.Count];
        for (var i = 0; i < recommendations.Length; i++)
        {
            var recommendation = audit.Recommendations[i];
            var label = i < RecommendationLabels.Length ? RecommendationLabels[i] : $"{Ordinal(i + 1)} recommendation";
            var text = Measure(bland, label, PracticeArea.Unspecified, recommendation.Text);
            texts.Add(text);
            recommendations[i] = new RecommendationFact(
                label, text, recommendation.Value, recommendation.Value != CroydonValue.Unspecified);
        }

        var (median, worst) = MedianAndWorst(areas);
        var evidence = audit.KeyEvidence;
        return new AuditFacts
        {
            HasProposedGrade = audit.ProposedOverallGrade != Grade.Unspecified,
            ProposedGrade = audit.ProposedOverallGrade,
            ProposedRank = (int)audit.ProposedOverallGrade,
            GradedAreaCount = areas.Count(a => a.Graded),
            MedianGrade = (Grade)median,
            MedianRank = median,
            LowestGrade = (Grade)worst,
            WorstRank = worst,
            LowestAreas = Words.List([.. areas.Where(a => a.Graded && a.Rank == worst).Select(a => a.Label)]),
            Areas = areas,
            ConcernAreas = Words.List([.. areas.Where(a => a.SignificantConcern).Select(a => a.Label)]),
            Advocacy = evidence.Advocacy,
            MentalCapacity = evidence.MentalCapacity,
            CareAct = evidence.CareAct,
            PersonInvolvement = evidence.PersonInvolvement,
            Risk = evidence.Risk,
            Outcomes = evidence.Outcomes,
            PolicyApplication = evidence.PolicyApplication,
            KeyEvidence =
            [
                new("advocacy", evidence.Advocacy != Advocacy.Unspecified),
                new("mental capacity", evidence.MentalCapacity != MentalCapacity.Unspecified),
                new("Care Act compliance", evidence.CareAct != CareActCompliance.Unspecified),
                new("person's involvement", evidence.PersonInvolvement != Involvement.Unspecified),
                new("risk practice", evidence.Risk != RiskPractice.Unspecified),
                new("outcomes", evidence.Outcomes != Outcomes.Unspecified),
                new("policy application", evidence.PolicyApplication != PolicyApplication.Unspecified),
            ],
            ImmediateRiskIdentified = audit.Safeguarding.ImmediateRiskIdentified,
            SafeguardingActionTaken = Measure(bland, "safeguarding action taken", PracticeArea.Unspecified, audit.Safeguarding.ActionTaken),
            ProcedureFollowed = audit.Safeguarding.ProcedureFollowed,
            OverrideRationale = Measure(bland, "override rationale", PracticeArea.Unspecified, audit.OverrideRationale),
            Strengths = strengths,
            Learning = learning,
            SummaryOfFindings = summary,
            Recommendations = recommendations,
            OrganisationalLearningPointCount = audit.OrganisationalLearningPoints.Count,
            Texts = texts,
            Book = new AnswerBook(audit, template ?? AuditTemplate.Contract, bland),
        };
    }

    /// <summary>
    /// The median (sorted ranks, the element at floor(n/2): with an even count the worse of the two
    /// middle ranks) and the worst rank of the graded areas; both 0 when none is graded.
    /// </summary>
    public static (int Median, int Worst) MedianAndWorst(IReadOnlyList<AreaFact> areas)
    {
        Span<int> ranks = stackalloc int[areas.Count];
        var n = 0;
        foreach (var area in areas)
        {
            if (area.Graded)
            {
                ranks[n++] = area.Rank;
            }
        }

        if (n == 0)
        {
            return (0, 0);
        }

        ranks = ranks[..n];
        ranks.Sort();
        return (ranks[n / 2], ranks[n - 1]);
    }

    private static AreaAssessment? FindArea(IReadOnlyList<AreaAssessment> listed, PracticeArea area)
    {
        foreach (var assessment in listed)
        {
            if (assessment.Area == area)
            {
                return assessment;
            }
        }

        return null;
    }

    private static AreaFact BuildArea(PracticeArea area, AreaAssessment? assessment, BlandTextPolicy bland, List<TextFact> texts)
    {
        var labels = TextLabels[area];
        var evidence = Measure(bland, labels.Evidence, area, assessment?.Evidence);
        var goodPractice = Measure(bland, labels.GoodPractice, area, assessment?.GoodPractice);
        var concernDetail = Measure(bland, labels.Concern, area, assessment?.SignificantConcernDetail);
        if (assessment is not null)
        {
            texts.Add(evidence);
            texts.Add(goodPractice);
            texts.Add(concernDetail);
        }

        var grade = assessment?.Grade ?? Grade.Unspecified;
        var notApplicable = assessment?.NotApplicable ?? false;
        var graded = grade != Grade.Unspecified && !notApplicable;
        return new AreaFact(
            area,
            Words.Of(area),
            Listed: assessment is not null,
            NotApplicable: notApplicable,
            Grade: graded ? grade : Grade.Unspecified,
            Rank: graded ? (int)grade : 0,
            Graded: graded,
            SignificantConcern: assessment?.SignificantConcern ?? false,
            evidence,
            goodPractice,
            concernDetail);
    }

    private static string Ordinal(int n) => n switch
    {
        <= 10 => ((string[])["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"])[n],
        _ when n % 100 is 11 or 12 or 13 => $"{n}th",
        _ => $"{n}{(n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" }}",
    };

    private static TextFact Measure(BlandTextPolicy bland, string label, PracticeArea area, string? text)
    {
        var measure = bland.Measure(text);
        return new TextFact(label, area, measure.IsEmpty, measure.Words, measure.IsBland);
    }
}
