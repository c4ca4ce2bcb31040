using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>Every worked case in rules/tests, graded through PreviewGrade over real gRPC.</summary>
public sealed class WorkedCaseTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    public static TheoryData<string> Cases => [.. WorkedCase.Names];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PreviewGrade_WorkedCase_GradesAsExpected(string name)
    {
        var expected = WorkedCase.Load(name);

        var result = (await host.Client.PreviewGradeAsync(new() { Audit = expected.Audit })).Result;

        Assert.Equal(expected.OverallGrade, result.OverallGrade);
        Assert.Equal(expected.Status, result.Status);
        Assert.Equal(expected.Fired, result.Trace.Where(t => t.Fired).Select(t => t.RuleId));
        Assert.Equal(expected.Findings, result.Findings.Select(f => f.RuleId));
        if (expected.BaseGrade is { } baseGrade)
        {
            Assert.Equal(baseGrade, result.BaseGrade);
        }

        if (expected.CapApplied is { } capApplied)
        {
            Assert.Equal(capApplied, result.CapApplied);
        }

        if (expected.ModerationRequired is { } moderation)
        {
            Assert.Equal(moderation, result.ModerationRequired);
        }
    }

    [Fact]
    public void WorkedCases_CoverEveryDefaultRule()
    {
        var fired = WorkedCase.Names.SelectMany(n => WorkedCase.Load(n).Fired).ToHashSet();
        var rules = Directory.EnumerateFiles(RepositoryRoot.Rules, "*.json")
            .SelectMany(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement is { ValueKind: System.Text.Json.JsonValueKind.Object } root
                && root.TryGetProperty("Rules", out var list) ? list.EnumerateArray().Select(r => r.GetProperty("RuleName").GetString()!) : []);

        Assert.All(rules, rule => Assert.Contains(rule, fired));
    }
}
