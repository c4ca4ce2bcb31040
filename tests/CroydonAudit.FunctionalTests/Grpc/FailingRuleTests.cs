using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>A rule that fails for one audit stops that grading with INTERNAL naming the rule: never "did not fire", never UNKNOWN.</summary>
public sealed class FailingRuleTests : IDisposable
{
    private readonly RuleFolderCopy _rules = new();
    private readonly FailingRuleHost _host;

    public FailingRuleTests()
    {
        // Reads the first recommendation, which an audit without recommendations does not have. No worked case
        // of the copy has such an audit (that case, and the rule only it fires, are taken out), so the rules pass
        // their check and load: the mistake shows only when such an audit is graded.
        _rules.EditRule("findings.json", "finding.recommendation-value", rule => rule["Expression"] = "!audit.Recommendations[0].NamesValue");
        _rules.Delete("tests/no-recommendations.json");
        _rules.Edit("findings.json", workflow =>
        {
            var rules = workflow["Rules"]!.AsArray();
            rules.Remove(rules.Single(r => (string?)r!["RuleName"] == "finding.no-recommendations"));
        });
        _host = new FailingRuleHost(_rules.Path);
    }

    [Fact]
    public async Task PreviewGrade_RuleFailsForThisAudit_IsInternalNamingTheRule()
    {
        var audit = FixtureCases.Load("no-recommendations").Audit;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("finding.recommendation-value", error.Status.Detail);
    }

    [Fact]
    public async Task PreviewGrade_RuleWorksForThisAudit_Grades()
    {
        var result = (await _host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result;

        Assert.Equal(Croydon.Audit.V1.Grade.Good, result.OverallGrade);
    }

    public void Dispose()
    {
        _host.Dispose();
        _rules.Dispose();
    }

    private sealed class FailingRuleHost(string rules) : GradingServiceHost(new TestDatabase(), ownsDatabase: true)
    {
        protected override string RulesPath => rules;
    }
}
