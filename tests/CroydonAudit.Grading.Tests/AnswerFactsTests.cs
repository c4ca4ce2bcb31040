using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>
/// Rules read answers by the template's question ids: a question the template adds, answered; one of the audit's own
/// fields, whether sent as its typed field or as an answer (the same facts either way); how many answers evidence each
/// level; the required questions left unanswered.
/// </summary>
public sealed class AnswerFactsTests : IDisposable
{
    private readonly RuleFolderCopy _rules = new();
    private readonly RuleSet _ruleSet;

    public AnswerFactsTests()
    {
        TemplateChanges.AddCarersAssessment(_rules);
        _ruleSet = RuleSetLoader.Load(_rules.Path);
    }

    [Fact]
    public void AQuestionTheTemplateAdds_ReadsItsOptionAndLevel_AndTheLimitReadingItFires()
    {
        var audit = Audits.CompleteGood() with { Answers = [new QuestionAnswer(TemplateChanges.Question, TemplateChanges.NotOffered)] };

        var answer = Facts(audit).Answer(TemplateChanges.Question);
        var graded = new AuditGrader(_ruleSet, TimeProvider.System).Grade(audit);

        Assert.Equal((true, TemplateChanges.NotOffered, 3), (answer.Answered, answer.Option, answer.Rank));
        Assert.True(answer.Is(TemplateChanges.NotOffered));
        Assert.Equal("Not offered although there is a carer", answer.Words);
        Assert.Equal(Grade.RequiresImprovement, graded.OverallGrade);
        Assert.Contains(graded.Trace, t => t.RuleId == "limit.carers-assessment-not-offered" && t.Fired);
        Assert.False(Facts(Audits.CompleteGood()).Answer(TemplateChanges.Question).Answered);
    }

    [Fact]
    public void TheAuditsOwnFields_ReadTheSame_SentTypedOrAsAnswers()
    {
        var typed = Audits.CompleteGood() with { KeyEvidence = Audits.CompleteGood().KeyEvidence with { Risk = RiskPractice.NotAcknowledged } };
        var answered = Audits.CompleteGood() with
        {
            KeyEvidence = Audits.CompleteGood().KeyEvidence with { Risk = RiskPractice.Unspecified },
            Areas = [.. Audits.CompleteGood().Areas.Where(a => a.Area != PracticeArea.Impact)],
            Answers = [new QuestionAnswer("risk", "not-acknowledged"), new QuestionAnswer("impact.grade", "inadequate"), new QuestionAnswer("impact.evidence", Audits.Evidence)],
        };

        var (a, b) = (Facts(typed), Facts(answered));
        var grader = new AuditGrader(_ruleSet, TimeProvider.System);

        Assert.Equal(a.Risk, b.Risk);
        Assert.Equal(a.Answer("risk"), b.Answer("risk"));
        Assert.Equal((4, Grade.Inadequate), (b.WorstRank, b.Areas[^1].Grade));
        Assert.Equal(Grade.Inadequate, grader.Grade(typed).OverallGrade);
        Assert.Equal(Grade.Inadequate, grader.Grade(answered).OverallGrade);
        Assert.Equal(Facts(typed with { Areas = [.. typed.Areas.Select(x => x.Area == PracticeArea.Impact ? x with { Grade = Grade.Inadequate } : x)] }).MedianRank, b.MedianRank);
    }

    [Fact]
    public void Evidencing_CountsTheAnswersOfEachLevel_BySectionAndOverall()
    {
        var audit = Audits.CompleteGood() with { Answers = [new QuestionAnswer(TemplateChanges.Question, TemplateChanges.NotOffered)] };

        var facts = Facts(audit);

        // The nine areas' grades are Good; key evidence: advocacy not required (no level), mental capacity considered
        // (good), compliant (good), central (outstanding), weighed (good), central and revisited (outstanding), good.
        Assert.Equal((9 + 4, 2, 1), (facts.Evidencing("good"), facts.Evidencing("outstanding"), facts.Evidencing("requires-improvement")));
        Assert.Equal((1, 1), (facts.Section("family-engagement").Evidencing("good"), facts.Section("family-engagement").Evidencing("requires-improvement")));
    }

    [Fact]
    public void RequiredUnanswered_ListsTheRequiredQuestionsLeftUnanswered()
    {
        _rules.Edit("template.json", t => t["sections"]!.AsArray().Single(s => (string?)s!["id"] == "family-engagement")!["questions"]!.AsArray()
            .Single(q => (string?)q!["id"] == TemplateChanges.Question)!["required"] = true);
        var template = RuleSetLoader.Load(_rules.Path).Template;

        var missing = AuditFactsBuilder.Build(Audits.CompleteGood(), _ruleSet.BlandText, template).RequiredUnanswered;
        var answered = AuditFactsBuilder.Build(Audits.CompleteGood() with { Answers = [new QuestionAnswer(TemplateChanges.Question, "offered")] }, _ruleSet.BlandText, template);

        Assert.Equal([("carer's assessment", PracticeArea.FamilyEngagement)], missing.Select(m => (m.Label, m.Area)));
        Assert.Empty(answered.RequiredUnanswered);
    }

    [Fact]
    public void ARuleSetWithoutATemplate_HasTheContractsQuestions_AndItsVersionAsBefore()
    {
        Assert.Equal(AuditTemplate.Contract, FixtureRuleSet.RuleSet.Template);
        Assert.Equal(ContractQuestions.All.Select(q => q.Id), AuditTemplate.Contract.Questions.Keys);
        Assert.Equal("4b3572c315ab8da1", FixtureRuleSet.RuleSet.Version);
    }

    public void Dispose() => _rules.Dispose();

    private AuditFacts Facts(AuditSubmission audit) => AuditFactsBuilder.Build(audit, _ruleSet.BlandText, _ruleSet.Template);
}
