using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>Each caller is rate limited (RESOURCE_EXHAUSTED with when to retry), and a request over the message size limit is refused.</summary>
public sealed class LimitTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public LimitTests() => _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string>
    {
        ["RateLimit:PermitsPerSecond"] = "1",
        ["RateLimit:Burst"] = "5",
    });

    [Fact]
    public async Task Caller_OverItsRate_IsResourceExhaustedWithARetryDelay_AndAnotherCallerIsNot()
    {
        var audit = FixtureCases.Load("complete-good").Audit;
        using var busy = _host.ChannelFor(_host.Token([CroydonAudit.Identity.Roles.Grader], name: "busy-system"));
        using var quiet = _host.ChannelFor(_host.Token([CroydonAudit.Identity.Roles.Grader], name: "quiet-system"));
        var errors = new List<RpcException>();

        for (var call = 0; call < 12; call++)
        {
            try
            {
                await new GradingService.GradingServiceClient(busy).PreviewGradeAsync(new() { Audit = audit });
            }
            catch (RpcException e)
            {
                errors.Add(e);
            }
        }

        var other = await new GradingService.GradingServiceClient(quiet).PreviewGradeAsync(new() { Audit = audit });

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        Assert.True(errors[0].GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal(Grade.Good, other.Result.OverallGrade);
    }

    [Fact]
    public async Task Request_OverTheMessageSizeLimit_IsResourceExhausted()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.OrganisationalLearningPoints.Add(new string('x', 5 * 1024 * 1024)));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }
}
