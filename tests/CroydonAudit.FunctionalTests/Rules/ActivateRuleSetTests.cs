using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// ActivateRuleSet: a valid change goes live without a restart and the next grading carries its version; a
/// refused one changes nothing, the last good set keeps grading, and the refusal is readable in GetRuleSetStatus.
/// </summary>
public sealed class ActivateRuleSetTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task ActivateRuleSet_ValidChange_GoesLiveWithoutARestart()
    {
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        var audit = FixtureCases.Load("care-act-partial").Audit;
        var before = (await host.Client.PreviewGradeAsync(new() { Audit = audit })).Result;

        var activated = await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        var after = (await host.Client.PreviewGradeAsync(new() { Audit = audit })).Result;
        var stored = (await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => a.AuditId = "graded-after-activation") })).Result;

        Assert.True(activated.Changed);
        Assert.Equal(RuleFiles.VersionOf(changed.Path), activated.Active.Version);
        Assert.Equal(RuleSetSource.Service, activated.Active.Source);
        Assert.Equal((Grade.RequiresImprovement, Grade.Inadequate), (before.OverallGrade, after.OverallGrade));
        Assert.Equal(activated.Active.Version, after.RuleSetVersion);
        Assert.Equal(activated.Active.Version, stored.RuleSetVersion);
        Assert.Equal(activated.Active.Version, (await host.RuleSets.GetActiveRuleSetAsync(new())).RuleSet.Version);

        // Back to the fixture, so other tests in the class grade by it; the same files activate again.
        var back = await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(RepositoryRoot.FixtureRules) } });
        Assert.Equal(before.RuleSetVersion, back.Active.Version);
    }

    [Fact]
    public async Task ActivateRuleSet_ActiveAlready_ChangesNothing()
    {
        var active = await host.RuleSets.GetRuleSetStatusAsync(new());

        var again = await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(RepositoryRoot.FixtureRules) } });

        Assert.False(again.Changed);
        Assert.Equal(active.Active, again.Active);
    }

    [Theory]
    [MemberData(nameof(RuleMistakes.Names), MemberType = typeof(RuleMistakes))]
    public async Task ActivateRuleSet_Mistake_IsRefusedAndTheLastGoodSetKeepsGrading(string mistake)
    {
        using var broken = new RuleFolderCopy();
        var reason = RuleMistakes.Make(broken, mistake);
        var serving = await host.RuleSets.GetRuleSetStatusAsync(new());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(broken.Path) } }));
        var status = await host.RuleSets.GetRuleSetStatusAsync(new());
        var preview = (await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result;

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations;
        Assert.Contains(violations, v => v.Field == "files" && v.Description.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(serving.Active, status.Active);
        Assert.Equal(serving.ServingVersion, preview.RuleSetVersion);
        Assert.Contains(status.LastRefusal.Reasons, r => r.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(RuleSetSource.Service, status.LastRefusal.Source);
    }

    [Fact]
    public async Task ActivateRuleSet_UnsafeFileName_IsInvalidNamingIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.RuleSets.ActivateRuleSetAsync(new() { Files = { new RuleFile { Path = "../../etc/passwd.json", Content = "{}" } } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("is not a file name the rules folder can hold", error.Status.Detail, StringComparison.Ordinal);
    }
}
