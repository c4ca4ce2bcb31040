using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Hardening;

/// <summary>
/// A rule that needs more than the audit's evaluation budget fails the call naming it, and stops; later calls are
/// fine. A call whose deadline passes is never stored.
/// </summary>
public sealed class EvaluationBudgetTests : IDisposable
{
    // Three lists within one another: cheap for a worked case's dozen recommendations, too much for fifty
    // under this host's budget.
    private const string Heavy = "audit.Recommendations.Count > 10 && audit.Texts.Count(a => audit.Texts.Count(b => audit.Texts.Count(c => c.Words >= 0) > 0) > 0) > 0";
    private readonly RuleFolderCopy _rules = new();
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public EvaluationBudgetTests()
        : this(Heavy, 200_000)
    {
    }

    internal EvaluationBudgetTests(string heavy, long budget)
    {
        _rules.AddRule("findings.json", $$"""
            { "RuleName": "finding.many-recommendations", "Expression": "{{heavy.Replace("\"", "\\\"", StringComparison.Ordinal)}}",
              "Properties": { "effect": "finding", "severity": "INFO", "message": "Many recommendations.", "explanation": "Many recommendations (see {guidance}).", "guidance": "Test" } }
            """);
        // A worked case of its own, as every rule needs one: a dozen recommendations, within the budget.
        _rules.Write("tests/many-recommendations.json", File.ReadAllText(Path.Combine(_rules.Path, "tests", "complete-good.json")));
        _rules.Edit("tests/many-recommendations.json", c =>
        {
            var recommendations = c["audit"]!["recommendations"]!.AsArray();
            var first = recommendations[0]!.ToJsonString();
            foreach (var _ in Enumerable.Range(0, 10))
            {
                recommendations.Add(System.Text.Json.Nodes.JsonNode.Parse(first));
            }

            c["expect"]!["fired"] = System.Text.Json.Nodes.JsonNode.Parse("[\"base.proposed\",\"finding.many-recommendations\"]");
            c["expect"]!["findings"] = System.Text.Json.Nodes.JsonNode.Parse("[\"finding.many-recommendations\"]");
        });
        _host = new RulesHost(_rules.Path, _database, new Dictionary<string, string> { ["Grading:EvaluationBudgetSteps"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    [Fact]
    public async Task Grading_RuleOverTheBudget_FailsNamingTheRuleAndLaterCallsAreFine()
    {
        var audit = FiftyRecommendations("over-budget");
        // Started first, so the time below is the call's alone.
        _ = _host.Address;

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.PreviewGradeAsync(new() { Audit = audit }));
        var elapsed = DateTime.UtcNow - started;
        var later = (await _host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result;

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("finding.many-recommendations", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("evaluation budget", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the failing call took {elapsed}");
        Assert.Equal(Grade.Good, later.OverallGrade);
    }

    internal RulesHost Host => _host;

    internal TestDatabase Database => _database;

    internal static AuditSubmission FiftyRecommendations(string id) => FixtureCases.Load("complete-good").Audit.Also(a =>
    {
        a.AuditId = id;
        foreach (var _ in Enumerable.Range(0, 49))
        {
            a.Recommendations.Add(a.Recommendations[0].Clone());
        }
    });

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _rules.Dispose();
    }
}

/// <summary>
/// A call whose deadline passes while its audit is graded is answered DEADLINE_EXCEEDED and never stored (that
/// grading itself stops at the deadline is the grading library's test).
/// </summary>
public sealed class DeadlineTests : IDisposable
{
    // Five lists within one another: billions of steps for fifty recommendations — minutes of work, with no budget
    // to stop it (four, some forty million steps, took under the deadline on a fast machine).
    private const string Slow = "audit.Recommendations.Count > 10 && audit.Texts.Count(a => audit.Texts.Count(b => audit.Texts.Count(c => audit.Texts.Count(d => audit.Texts.Count(e => e.Words >= 0) > 0) > 0) > 0) > 0) > 0";
    private readonly EvaluationBudgetTests _slow = new(Slow, 100_000_000_000);

    [Fact]
    public async Task GradeAudit_DeadlinePassesWhileGrading_IsDeadlineExceededAndStoresNothing()
    {
        var audit = EvaluationBudgetTests.FiftyRecommendations("deadline-passed");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _slow.Host.Client.GradeAuditAsync(new() { Audit = audit }, deadline: DateTime.UtcNow.AddMilliseconds(300)));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, _slow.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'deadline-passed'"));
    }

    public void Dispose() => _slow.Dispose();
}
