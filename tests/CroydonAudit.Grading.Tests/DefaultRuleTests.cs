using CroydonAudit.Grading.Domain;
using static CroydonAudit.Grading.Tests.Audits;

namespace CroydonAudit.Grading.Tests;

/// <summary>Every default rule, firing on an audit that meets its condition and not firing on one that nearly does.</summary>
public sealed class DefaultRuleTests
{
    private const string Rationale = "The adult's own account shows the risk was discussed openly and managed with her family.";

    private sealed record Case(string RuleId, Func<AuditSubmission, AuditSubmission> Change, Grade? Overall = null);

    private static readonly Case[] Firing =
    [
        new("base.proposed", a => a with { ProposedOverallGrade = Grade.Good }, Grade.Good),
        new("base.median", a => (a with { ProposedOverallGrade = Grade.Unspecified }).WithAreas(Grade.Good, Grade.Good, Grade.RequiresImprovement), Grade.Good),
        new("cap.lowest-plus-one", a => a.WithArea(PracticeArea.Assessment, x => x with { Grade = Grade.Inadequate }), Grade.RequiresImprovement),
        new("limit.significant-concern", a => a.WithArea(PracticeArea.Impact, x => x with { SignificantConcern = true, SignificantConcernDetail = "No review for two years despite falls." }), Grade.RequiresImprovement),
        new("limit.advocacy", a => a.WithKeyEvidence(k => k with { Advocacy = Advocacy.RequiredNotProvided }), Grade.Inadequate),
        new("limit.care-act-non-compliant", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.NonCompliant }), Grade.Inadequate),
        new("limit.risk-not-acknowledged", a => a.WithKeyEvidence(k => k with { Risk = RiskPractice.NotAcknowledged }), Grade.Inadequate),
        new("limit.safeguarding-procedure", a => a with { Safeguarding = new(true, "Police were called and a strategy meeting held.", ProcedureFollowed.No) }, Grade.Inadequate),
        new("limit.mental-capacity-not-referenced", a => a.WithKeyEvidence(k => k with { MentalCapacity = MentalCapacity.NotReferenced }), Grade.Inadequate),
        new("limit.involvement-no-evidence", a => a.WithKeyEvidence(k => k with { PersonInvolvement = Involvement.NoEvidence }), Grade.Inadequate),
        new("limit.outcomes-not-gathered", a => a.WithKeyEvidence(k => k with { Outcomes = Outcomes.NotGathered }), Grade.Inadequate),
        new("limit.policy-absent", a => a.WithKeyEvidence(k => k with { PolicyApplication = PolicyApplication.Absent }), Grade.Inadequate),
        new("limit.mental-capacity-not-documented", a => a.WithKeyEvidence(k => k with { MentalCapacity = MentalCapacity.NotDocumented }), Grade.RequiresImprovement),
        new("limit.care-act-partial", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }), Grade.RequiresImprovement),
        new("limit.involvement-partial", a => a.WithKeyEvidence(k => k with { PersonInvolvement = Involvement.PartialOrDelayed }), Grade.RequiresImprovement),
        new("limit.risk-partial", a => a.WithKeyEvidence(k => k with { Risk = RiskPractice.Partial }), Grade.RequiresImprovement),
        new("limit.outcomes-not-fully-explored", a => a.WithKeyEvidence(k => k with { Outcomes = Outcomes.NotFullyExplored }), Grade.RequiresImprovement),
        new("limit.policy-some-gaps", a => a.WithKeyEvidence(k => k with { PolicyApplication = PolicyApplication.SomeGaps }), Grade.RequiresImprovement),
        new("limit.safeguarding-unclear", a => a with { Safeguarding = new(true, "A strategy discussion was held with the police.", ProcedureFollowed.Unclear) }, Grade.RequiresImprovement),
        new("limit.outstanding-evidence", a => a.WithKeyEvidence(k => k with { PersonInvolvement = Involvement.Involved }) with { ProposedOverallGrade = Grade.Outstanding }, Grade.Good),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = Rationale }, Grade.Good),
        new("finding.area-not-graded", a => a with { Areas = a.Areas.Skip(1).ToList() }),
        new("finding.evidence-missing", a => a.WithArea(PracticeArea.Assessment, x => x with { Evidence = "  " })),
        new("finding.concern-unexplained", a => a.WithArea(PracticeArea.Assessment, x => x with { SignificantConcern = true })),
        new("finding.key-evidence-unrecorded", a => a.WithKeyEvidence(k => k with { Outcomes = Outcomes.Unspecified })),
        new("finding.safeguarding-unrecorded", a => a with { Safeguarding = new(true, "", ProcedureFollowed.Yes) }),
        new("finding.no-summary", a => a with { SummaryOfFindings = "\n" }),
        new("finding.not-applicable-unexplained", a => a.WithArea(PracticeArea.FamilyEngagement, x => x with { Grade = Grade.Unspecified, NotApplicable = true, Evidence = "" })),
        new("finding.bland-text", a => a with { Learning = "Well done!" }),
        new("finding.no-strengths", a => a with { Strengths = "", Areas = [.. a.Areas.Select(x => x with { GoodPractice = "" })] }),
        new("finding.no-learning", a => a with { Learning = "" }),
        new("finding.no-recommendations", a => a with { Recommendations = [] }),
        new("finding.recommendation-value", a => a with { Recommendations = [new("Share the plan with the district nurses this month.", CroydonValue.Unspecified)] }),
        new("finding.override-needs-moderation", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = Rationale }),
        new("finding.proposed-far-from-areas", a => a with { ProposedOverallGrade = Grade.Inadequate }),
    ];

    private static readonly Case[] NearMisses =
    [
        new("base.median", a => a with { ProposedOverallGrade = Grade.RequiresImprovement }),
        new("cap.lowest-plus-one", a => a.WithArea(PracticeArea.Assessment, x => x with { Grade = Grade.RequiresImprovement })),
        new("limit.significant-concern", a => a.WithArea(PracticeArea.Impact, x => x with { SignificantConcernDetail = "Recorded but not flagged." })),
        new("limit.safeguarding-procedure", a => a with { Safeguarding = new(false, "", ProcedureFollowed.No) }),
        new("limit.safeguarding-unclear", a => a with { Safeguarding = new(true, "Strategy meeting held.", ProcedureFollowed.Yes) }),
        new("limit.outstanding-evidence", a => a.WithKeyEvidence(k => k with { Risk = RiskPractice.PositiveRiskTaking })),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = "Good work, well done, no concerns." }),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = "The adult said the risk was openly discussed." }),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = Rationale, ProposedOverallGrade = Grade.Unspecified }),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.Partial }) with { OverrideRationale = Rationale, ProposedOverallGrade = Grade.RequiresImprovement }),
        new("cap.override", a => a.WithKeyEvidence(k => k with { CareAct = CareActCompliance.NonCompliant }) with { OverrideRationale = Rationale }),
        new("finding.area-not-graded", a => a.WithArea(PracticeArea.Impact, x => x with { Grade = Grade.Unspecified, NotApplicable = true })),
        new("finding.evidence-missing", a => a.WithArea(PracticeArea.Impact, x => x with { Grade = Grade.Unspecified, NotApplicable = true, Evidence = "" })),
        new("finding.safeguarding-unrecorded", a => a with { Safeguarding = new(false, "", ProcedureFollowed.Unspecified) }),
        new("finding.no-strengths", a => a with { Strengths = "" }),
        new("finding.bland-text", a => a with { Learning = "Well done: the review was early and involved the adult's son." }),
        new("finding.proposed-far-from-areas", a => a with { ProposedOverallGrade = Grade.RequiresImprovement }),
    ];

    public static TheoryData<int> FiringCases => [.. Enumerable.Range(0, Firing.Length)];

    public static TheoryData<int> NearMissCases => [.. Enumerable.Range(0, NearMisses.Length)];

    public static TheoryData<string> EveryRuleButTheBase =>
        [.. DefaultRuleSet.RuleSet.Rules.Select(r => r.RuleId).Where(id => id != "base.proposed")];

    [Theory]
    [MemberData(nameof(FiringCases))]
    public void Rule_WhenItsConditionHolds_Fires(int index)
    {
        var (ruleId, change, overall) = Firing[index];

        var result = DefaultRuleSet.Grade(change(CompleteGood()));

        Assert.Contains(ruleId, result.Fired());
        if (overall is { } expected)
        {
            Assert.Equal(expected, result.OverallGrade);
        }
    }

    [Theory]
    [MemberData(nameof(NearMissCases))]
    public void Rule_WhenItsConditionNearlyHolds_DoesNotFire(int index)
    {
        var (ruleId, change, _) = NearMisses[index];

        var result = DefaultRuleSet.Grade(change(CompleteGood()));

        Assert.DoesNotContain(ruleId, result.Fired());
    }

    [Theory]
    [MemberData(nameof(EveryRuleButTheBase))]
    public void Rule_OnACompleteGoodAudit_DoesNotFire(string ruleId)
    {
        var result = DefaultRuleSet.Grade(CompleteGood());

        Assert.DoesNotContain(ruleId, result.Fired());
    }

    [Fact]
    public void EveryDefaultRule_HasAFiringCase()
    {
        var covered = Firing.Select(c => c.RuleId).ToHashSet();

        Assert.All(DefaultRuleSet.RuleSet.Rules, rule => Assert.Contains(rule.RuleId, covered));
    }
}
