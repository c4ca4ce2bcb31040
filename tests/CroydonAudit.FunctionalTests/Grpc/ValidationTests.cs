using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>Bad input never reaches the rules: INVALID_ARGUMENT with a BadRequest naming every violated field.</summary>
public sealed class ValidationTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly Dictionary<string, (Action<AuditSubmission> Break, string Field)> Violations = new()
    {
        ["audit id missing"] = (a => a.AuditId = "", "audit.audit_id"),
        ["audit id too long"] = (a => a.AuditId = new string('a', 65), "audit.audit_id"),
        ["audit id with a space"] = (a => a.AuditId = "audit 1", "audit.audit_id"),
        ["case reference missing"] = (a => a.CaseReference = "", "audit.case_reference"),
        ["case reference looks like a name"] = (a => a.CaseReference = "Mrs Jones", "audit.case_reference"),
        ["auditor id missing"] = (a => a.AuditorId = "", "audit.auditor_id"),
        ["auditor id too long"] = (a => a.AuditorId = new string('x', 65), "audit.auditor_id"),
        ["area unspecified"] = (a => a.Areas[3].Area = PracticeArea.Unspecified, "audit.areas[3].area"),
        ["area unknown number"] = (a => a.Areas[3].Area = (PracticeArea)12, "audit.areas[3].area"),
        ["area listed twice"] = (a => a.Areas[4].Area = PracticeArea.RiskAndNeed, "audit.areas[4].area"),
        ["grade unknown number"] = (a => a.Areas[3].Grade = (Grade)9, "audit.areas[3].grade"),
        ["grade and not applicable"] = (a => a.Areas[3].NotApplicable = true, "audit.areas[3].grade"),
        ["concern on an ungraded area"] = (a => { a.Areas[2].Grade = Grade.Unspecified; a.Areas[2].SignificantConcern = true; }, "audit.areas[2].significant_concern"),
        ["no graded area"] = (a => { foreach (var area in a.Areas) { area.Grade = Grade.Unspecified; area.NotApplicable = true; } }, "audit.areas"),
        ["proposed grade unknown"] = (a => a.ProposedOverallGrade = (Grade)5, "audit.proposed_overall_grade"),
        ["advocacy unknown"] = (a => a.KeyEvidence.Advocacy = (Advocacy)7, "audit.key_evidence.advocacy"),
        ["risk unknown"] = (a => a.KeyEvidence.Risk = (RiskPractice)(-1), "audit.key_evidence.risk"),
        ["procedure unknown"] = (a => a.Safeguarding = new Safeguarding { ProcedureFollowed = (ProcedureFollowed)4 }, "audit.safeguarding.procedure_followed"),
        ["recommendation value unknown"] = (a => a.Recommendations[0].Value = (CroydonValue)6, "audit.recommendations[0].value"),
        ["evidence too long"] = (a => a.Areas[1].Evidence = new string('e', 20_001), "audit.areas[1].evidence"),
        ["summary too long"] = (a => a.SummaryOfFindings = new string('s', 20_001), "audit.summary_of_findings"),
        ["too many recommendations"] = (a => a.Recommendations.Add(Enumerable.Range(0, 50).Select(_ => new Recommendation { Text = "Review the plan." })), "audit.recommendations"),
        ["too many learning points"] = (a => a.OrganisationalLearningPoints.Add(Enumerable.Range(0, 51).Select(i => $"Point {i}")), "audit.organisational_learning_points"),
        ["NUL in the team"] = (a => a.Team = "Locality\0East", "audit.team"),
        ["NUL in the auditor id"] = (a => a.AuditorId = "auditor\0", "audit.auditor_id"),
        ["NUL in a learning point"] = (a => a.OrganisationalLearningPoints.Add("Share\0plans"), "audit.organisational_learning_points[0]"),
        ["audited at out of range"] = (a => a.AuditedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1, Nanos = -5 }, "audit.audited_at"),
    };

    public static TheoryData<string> ViolationNames => [.. Violations.Keys];

    [Theory]
    [MemberData(nameof(ViolationNames))]
    public async Task PreviewGrade_InvalidField_IsRefusedNamingTheField(string violation)
    {
        var (breakIt, field) = Violations[violation];
        var audit = ValidAudit();
        breakIt(audit);

        var fields = await RefusedFields(audit);

        Assert.Contains(field, fields);
    }

    [Fact]
    public async Task PreviewGrade_SeveralViolations_AreReportedTogether()
    {
        var audit = ValidAudit();
        audit.AuditId = "";
        audit.CaseReference = "Mr Smith";
        audit.Areas[3].Grade = (Grade)9;
        audit.KeyEvidence.Outcomes = (Outcomes)8;
        audit.Recommendations[0].Value = (CroydonValue)99;

        var fields = await RefusedFields(audit);

        Assert.Equal(
            ["audit.audit_id", "audit.case_reference", "audit.areas[3].grade", "audit.key_evidence.outcomes", "audit.recommendations[0].value"],
            fields);
    }

    [Fact]
    public async Task PreviewGrade_NoAudit_IsRefused()
    {
        var fields = await RefusedFields(null);

        Assert.Equal(["audit"], fields);
    }

    [Fact]
    public async Task PreviewGrade_LimitsExactlyReached_AreAccepted()
    {
        var audit = ValidAudit();
        audit.AuditId = new string('a', 64);
        audit.CaseReference = "CR.2026:07_a-b";
        audit.SummaryOfFindings = new string('s', 20_000);
        audit.OrganisationalLearningPoints.Add(Enumerable.Range(0, 50).Select(i => $"Point {i}"));

        var response = await host.Client.PreviewGradeAsync(new() { Audit = audit });

        Assert.Equal(audit.AuditId, response.Result.AuditId);
    }

    private async Task<IReadOnlyList<string>> RefusedFields(AuditSubmission? audit)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.PreviewGradeAsync(new() { Audit = audit }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.All(badRequest.FieldViolations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        return [.. badRequest.FieldViolations.Select(v => v.Field)];
    }

    private static AuditSubmission ValidAudit() => FixtureCases.Load("complete-good").Audit;
}
