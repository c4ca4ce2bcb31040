using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>PreviewGrade answers with the grade, a full trace in words, a summary and the rule set's version.</summary>
public sealed partial class PreviewGradeTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task PreviewGrade_CompleteAudit_TracesEveryRuleInEvaluationOrder()
    {
        var result = await Preview("complete-good");

        var ruleIds = result.Trace.Select(t => t.RuleId).ToList();
        Assert.Equal(15, ruleIds.Count);
        Assert.Equal(["base.proposed", "base.median", "cap.lowest-plus-one"], ruleIds.Take(3));
        Assert.Equal("cap.override", ruleIds[7]);
        Assert.Equal("finding.area-not-graded", ruleIds[8]);
        Assert.Equal("finding.override-needs-moderation", ruleIds[^1]);
        Assert.Equal(["base", "limits", "findings"], result.Trace.Select(t => t.Workflow).Distinct());
        Assert.All(result.Trace, t => Assert.False(string.IsNullOrWhiteSpace(t.GuidanceRef)));
        Assert.All(result.Trace.Where(t => !t.Fired), t => Assert.Equal("", t.Explanation));
    }

    [Fact]
    public async Task PreviewGrade_LowestAreaCap_ExplainsInWordsWithTheAuditsValues()
    {
        var result = await Preview("lowest-plus-one");

        var cap = result.Trace.Single(t => t.RuleId == "cap.lowest-plus-one");
        Assert.True(cap.Fired);
        Assert.Equal("limited the overall grade to Requires improvement", cap.Effect);
        Assert.Equal(
            "The lowest area is Inadequate (Assessment), so at most Requires improvement (see Fixture limit, output rank).",
            cap.Explanation);
        Assert.Equal(Grade.RequiresImprovement, result.OverallGrade);
        Assert.Equal(Grade.Good, result.BaseGrade);
        Assert.Equal(Grade.Good, result.MedianGrade);
        Assert.Equal(Grade.Inadequate, result.LowestGrade);
        Assert.True(result.CapApplied);
    }

    [Fact]
    public async Task PreviewGrade_Explanations_NeverShowEnumNamesOrPlaceholders()
    {
        foreach (var name in FixtureCases.Names)
        {
            var result = await Preview(name);
            var texts = result.Trace.SelectMany(t => new[] { t.Explanation, t.Effect })
                .Concat(result.Findings.Select(f => f.Message))
                .Append(result.Summary);

            Assert.All(texts, text => Assert.DoesNotMatch(EnumOrPlaceholder(), text));
        }
    }

    [Fact]
    public async Task PreviewGrade_Summary_NamesTheLimitsThatHeldTheGradeInWords_NeverARuleId()
    {
        var capped = 0;
        foreach (var name in FixtureCases.Names)
        {
            var result = await Preview(name);
            var ruleIds = result.Trace.Select(t => t.RuleId).ToList();

            Assert.All(ruleIds, id => Assert.DoesNotContain(id, result.Summary, StringComparison.Ordinal));
            Assert.All(result.Trace.Select(t => t.Effect), effect => Assert.All(ruleIds, id => Assert.DoesNotContain(id, effect, StringComparison.Ordinal)));
            if (result.CapApplied)
            {
                // The limit that brought the grade down to where it stands is named by its own explanation.
                var holding = result.Trace.Where(t => t.Effect == $"limited the overall grade to {Words(result.OverallGrade)}").ToList();
                Assert.NotEmpty(holding);
                Assert.All(holding, t => Assert.Contains(t.Explanation, result.Summary, StringComparison.Ordinal));
                capped++;
            }
        }

        Assert.True(capped >= 2, "the fixture cases should include capped audits");
    }

    [Fact]
    public async Task PreviewGrade_Findings_SpeakOfTextsAsAPersonWould()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a =>
        {
            a.Strengths = "Good.";
            a.Recommendations.Add(new Recommendation { Text = "Review the plan with the adult and their carer within six weeks." });
        });

        var messages = (await host.Client.PreviewGradeAsync(new() { Audit = audit })).Result.Findings.Select(f => f.Message).ToList();

        Assert.Contains("The statement of strengths says nothing specific.", messages);
        Assert.Contains("The second recommendation names no Croydon value.", messages);
    }

    private static string Words(Grade grade) => grade switch
    {
        Grade.Outstanding => "Outstanding",
        Grade.Good => "Good",
        Grade.RequiresImprovement => "Requires improvement",
        _ => "Inadequate",
    };

    [Fact]
    public async Task PreviewGrade_LimitThatChangesNothing_SaysSo()
    {
        var result = await Preview("risk-not-acknowledged");

        Assert.Equal("limited the overall grade to Inadequate", result.Trace.Single(t => t.RuleId == "limit.risk-not-acknowledged").Effect);
        Assert.Equal("no change: the overall grade was already Inadequate", result.Trace.Single(t => t.RuleId == "limit.outstanding-evidence").Effect);
    }

    [Fact]
    public async Task PreviewGrade_Override_RelaxesAndSaysWhy()
    {
        var result = await Preview("override-relaxes-soft-limit");

        var limit = result.Trace.Single(t => t.RuleId == "limit.care-act-partial");
        Assert.Equal("no change: the overall grade was already Good (relaxed from Requires improvement by the override)", limit.Effect);
        Assert.Contains("relaxed each soft limit by 1 grade", result.Trace.Single(t => t.RuleId == "cap.override").Effect);
        Assert.Contains("moderation", result.Summary);
        Assert.Equal(Severity.Info, result.Findings.Single().Severity);
    }

    [Fact]
    public async Task PreviewGrade_PerAreaFindings_NameTheirArea()
    {
        var result = await Preview("areas-listed-without-grade");

        Assert.Equal([PracticeArea.AdultVoice, PracticeArea.Impact], result.Findings.Select(f => f.Area));
        Assert.StartsWith("Adult's voice is not graded", result.Findings[0].Message);
        Assert.Equal(AuditStatus.Incomplete, result.Status);
        Assert.Contains("incomplete: 2 errors", result.Summary);
    }

    [Fact]
    public async Task PreviewGrade_ResultDescribesThePreview()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await Preview("complete-good");

        Assert.Equal("fixture-complete-good", result.AuditId);
        Assert.Equal(0, result.Revision);
        Assert.Matches("^[0-9a-f]{16}$", result.RuleSetVersion);
        Assert.InRange(result.GradedAt.ToDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(Enum.GetValues<PracticeArea>()[1..], result.AreaGrades.Select(a => a.Area));
        Assert.StartsWith("Overall grade: Good. The auditor proposed Good;", result.Summary);
    }

    [Fact]
    public async Task Health_Check_IsServing()
    {
        var status = await HealthProbe.EventuallyAsync(host.Health, HealthCheckResponse.Types.ServingStatus.Serving);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesTheGradingService()
    {
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);

        Assert.Contains("croydon.audit.v1.GradingService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Reflection_ServesTheContractWithItsComments()
    {
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "croydon.audit.v1.GradingService" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b))
            .ToList();
        var grading = Assert.Single(files, f => f.Name == "croydon/audit/v1/grading_service.proto");
        var comments = grading.SourceCodeInfo.Location.Select(l => l.LeadingComments).Where(c => c.Length > 0).ToList();

        // The service's own comment, and its methods' (roles, errors), as written in protos/.
        Assert.Contains(comments, c => c.Contains("Grades adult social care case file audits", StringComparison.Ordinal));
        Assert.Contains(comments, c => c.Contains("Idempotent on audit_id and content", StringComparison.Ordinal));
        // The files it imports come too, so a client can build every message.
        Assert.Contains(files, f => f.Name == "croydon/audit/v1/audit.proto");
    }

    private async Task<GradingResult> Preview(string workedCase) =>
        (await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load(workedCase).Audit })).Result;

    [GeneratedRegex(@"[{}]|\b[A-Z]+_[A-Z_]+\b|RequiresImprovement|PracticeArea|NotReferenced")]
    private static partial Regex EnumOrPlaceholder();
}
