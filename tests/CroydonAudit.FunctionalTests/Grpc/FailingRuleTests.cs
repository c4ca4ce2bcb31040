using System.Text.Json.Nodes;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>A rule that fails for one audit stops that grading with INTERNAL naming the rule: never "did not fire", never UNKNOWN.</summary>
public sealed class FailingRuleTests : IDisposable
{
    private readonly string _rules = Directory.CreateTempSubdirectory("croydon-failing-rules-").FullName;
    private readonly FailingRuleHost _host;

    public FailingRuleTests()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Rules, "*.json"))
        {
            File.Copy(file, Path.Combine(_rules, Path.GetFileName(file)));
        }

        // Reads the first recommendation, which an audit without recommendations does not have.
        var findings = JsonNode.Parse(File.ReadAllText(Path.Combine(_rules, "findings.json")))!;
        findings["Rules"]!.AsArray().Single(r => (string?)r!["RuleName"] == "finding.recommendation-value")!["Expression"] = "!audit.Recommendations[0].NamesValue";
        File.WriteAllText(Path.Combine(_rules, "findings.json"), findings.ToJsonString());
        _host = new FailingRuleHost(_rules);
    }

    [Fact]
    public async Task PreviewGrade_RuleFailsForThisAudit_IsInternalNamingTheRule()
    {
        var audit = WorkedCase.Load("no-recommendations").Audit;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("finding.recommendation-value", error.Status.Detail);
    }

    [Fact]
    public async Task PreviewGrade_RuleWorksForThisAudit_Grades()
    {
        var result = (await _host.Client.PreviewGradeAsync(new() { Audit = WorkedCase.Load("complete-good").Audit })).Result;

        Assert.Equal(Croydon.Audit.V1.Grade.Good, result.OverallGrade);
    }

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_rules, recursive: true);
    }

    private sealed class FailingRuleHost(string rules) : GradingServiceHost(new TestDatabase(), ownsDatabase: true)
    {
        protected override string RulesPath => rules;
    }
}
