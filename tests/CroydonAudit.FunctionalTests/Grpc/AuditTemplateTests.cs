using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// The template over the contract: GetAuditTemplate returns the active template (a question the principal social
/// worker added among them); GradeAudit takes answers to it and grades by the rule reading them; GetAudit returns the
/// answers in the template's words; an unknown question or option, or an answer contradicting the audit's own field,
/// is INVALID_ARGUMENT naming it, the template's version and the nearest valid id; re-graded under a template without
/// the question, the answer is kept and said to be not in it.
/// </summary>
public sealed class AuditTemplateTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RuleFolderCopy _rules = new();
    private readonly RulesHost _host;

    public AuditTemplateTests()
    {
        TemplateChanges.AddCarersAssessment(_rules);
        _host = new RulesHost(_rules.Path, _database);
    }

    [Fact]
    public async Task GetAuditTemplate_ReturnsTheActiveTemplate_WithTheQuestionAdded()
    {
        var template = (await _host.Client.GetAuditTemplateAsync(new())).Template;

        Assert.Equal(await _host.ServingVersionAsync(), template.RuleSetVersion);
        Assert.Matches("^[0-9a-f]{16}$", template.Version);
        var question = template.Sections.Single(s => s.Id == "family-engagement").Questions.Single(q => q.Id == TemplateChanges.Question);
        Assert.Equal(("Was a carer's assessment offered?", AnswerKind.Choice), (question.Text, question.Kind));
        Assert.Equal([("offered", Grade.Good), (TemplateChanges.NotOffered, Grade.RequiresImprovement), ("no-carer", Grade.Unspecified)], question.Options.Select(o => (o.Id, o.Level)));
        Assert.Equal(PracticeArea.FamilyEngagement, template.Sections.Single(s => s.Id == "family-engagement").Area);
        var byVersion = (await _host.Client.GetAuditTemplateAsync(new() { RuleSetVersion = template.RuleSetVersion })).Template;
        Assert.Equal(template, byVersion);
    }

    [Fact]
    public async Task AnAnswerToTheAddedQuestion_IsGradedByTheRuleReadingIt_AndReadBackInTheTemplatesWords()
    {
        var audit = Audit("carers-answered", (TemplateChanges.Question, TemplateChanges.NotOffered));

        var graded = (await _host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
        var record = (await _host.Client.GetAuditAsync(new() { AuditId = "carers-answered" })).Audit;
        var typedOnly = (await _host.Client.GradeAuditAsync(new() { Audit = Audit("typed-only") })).Result;

        Assert.Equal(Grade.RequiresImprovement, graded.OverallGrade);
        Assert.Contains(graded.Trace, t => t.RuleId == "limit.carers-assessment-not-offered" && t.Fired);
        Assert.Equal(Grade.Good, typedOnly.OverallGrade);
        Assert.Equal(audit.Answers, record.Submission.Answers);
        var answered = Assert.Single(record.Answered, a => a.QuestionId == TemplateChanges.Question);
        Assert.Equal(("Was a carer's assessment offered?", TemplateChanges.NotOffered, "Not offered although there is a carer"), (answered.Question, answered.OptionId, answered.OptionWords));
        // The audit's own fields are answered questions too, in the template's words and order.
        Assert.Equal("risk-and-need.grade", record.Answered[0].QuestionId);
        Assert.Equal((await _host.Client.GetAuditTemplateAsync(new())).Template.Version, record.TemplateVersion);
    }

    public static TheoryData<string, string, string, string> Refused => new()
    {
        { "family-engagement.carers-asessment", "offered", "audit.answers[0].question_id", "\"family-engagement.carers-asessment\" is not a question of the audit template (version {0}); did you mean \"family-engagement.carers-assessment\"?" },
        { TemplateChanges.Question, "not-ofered", "audit.answers[0].value", "\"not-ofered\" is not an option of question \"family-engagement.carers-assessment\" of the audit template (version {0}): its options are \"offered\", \"not-offered\" or \"no-carer\"; did you mean \"not-offered\"?" },
        { "risk", "partial", "audit.answers[0].value", "answers \"risk\" with \"partial\", but the audit's own field for that question says \"weighed\": give one of them, or both the same." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AnAnswerTheTemplateCannotTake_IsInvalidArgument_NamingWhatIsWrong(string question, string value, string field, string description)
    {
        var version = (await _host.Client.GetAuditTemplateAsync(new())).Template.Version;

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.GradeAuditAsync(new() { Audit = Audit("refused", (question, value)) }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal((field, string.Format(System.Globalization.CultureInfo.InvariantCulture, description, version)), (violation.Field, violation.Description));
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'refused'"));
    }

    [Fact]
    public async Task RegradedUnderATemplateWithoutTheQuestion_TheAnswerIsKept_AndSaidToBeNotInIt()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("carers-removed", (TemplateChanges.Question, TemplateChanges.NotOffered)) });
        using var without = new RuleFolderCopy();
        TemplateChanges.AddFixtureTemplate(without);
        await _host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(without.Path) } });

        var regraded = await _host.Client.RegradeAuditAsync(new() { AuditId = "carers-removed" });
        var record = (await _host.Client.GetAuditAsync(new() { AuditId = "carers-removed" })).Audit;

        Assert.Equal((true, Grade.Good), (regraded.Regraded, regraded.Result.OverallGrade));
        Assert.Equal(TemplateChanges.NotOffered, record.Submission.Answers.Single().Value);
        var kept = Assert.Single(record.Answered, a => a.QuestionId == TemplateChanges.Question);
        Assert.Equal(("Not in the current template", TemplateChanges.NotOffered), (kept.SectionTitle, kept.OptionId));
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _rules.Dispose();
    }

    private static AuditSubmission Audit(string id, params (string Question, string Value)[] answers) =>
        FixtureCases.Load("complete-good").Audit.Also(a =>
        {
            a.AuditId = id;
            a.Answers.Add(answers.Select(x => new Answer { QuestionId = x.Question, Value = x.Value }));
        });
}
