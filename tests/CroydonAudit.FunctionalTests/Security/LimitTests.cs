using System.Net;
using System.Text;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>Each caller is rate limited (RESOURCE_EXHAUSTED with when to retry); a request over its method's limit, or over the memory budget, is refused before it is read.</summary>
public sealed class LimitTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public LimitTests() => _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string>
    {
        ["RateLimit:PermitsPerSecond"] = "1",
        ["RateLimit:Burst"] = "5",
        ["Limits:RequestMemoryBytes"] = "1048576",
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

    [Fact]
    public async Task ABodyThatWouldTakeTheServiceOverItsMemoryBudget_IsRefusedAtOnce_WithWhenToRetry()
    {
        using var rest = _host.RestClient(_host.Token([CroydonAudit.Identity.Roles.Grader], name: "large-bodies"));
        var body = Encoding.UTF8.GetBytes("{\"audit\":{\"summaryOfFindings\":\"" + new string('x', 200_000) + "\"}}");
        var held = new HeldContent(body);

        // The first is let in and held part-read: 200 KB of JSON, estimated at four times that in memory.
        var first = rest.PostAsync("/v1/audits:preview", held);
        await held.Started.Task;
        Assert.True(await Eventually.HoldsAsync(async () => (await InFlight()) > 0, TimeSpan.FromSeconds(10)), "the first body is being read");
        using var second = await rest.PostAsync("/v1/audits:preview", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        held.Release.SetResult();
        using var firstAnswer = await first;

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("1", Assert.Single(second.Headers.GetValues("Retry-After")));
        var status = new Google.Protobuf.JsonParser(Google.Protobuf.JsonParser.Settings.Default.WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromMessages(RetryInfo.Descriptor))).Parse<Google.Rpc.Status>(await second.Content.ReadAsStringAsync());
        Assert.Equal((int)Code.ResourceExhausted, status.Code);
        Assert.StartsWith("The service is reading as many large requests as it can hold at once", status.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), status.Details[0].Unpack<RetryInfo>().RetryDelay.ToTimeSpan());
        Assert.Equal(HttpStatusCode.BadRequest, firstAnswer.StatusCode);
    }

    [Fact]
    public async Task AModerationDecisionOfMegabytes_IsRefusedBeforeItIsRead_OverGrpcAndRest()
    {
        var reason = new string('x', 1024 * 1024);
        var moderation = new ReportService.ReportServiceClient(_host.ChannelFor(_host.Token([CroydonAudit.Identity.Roles.Moderator])));
        using var rest = _host.RestClient(_host.Token([CroydonAudit.Identity.Roles.Moderator]));

        var grpc = await Assert.ThrowsAsync<RpcException>(async () => await moderation.RecordModerationDecisionAsync(new() { AuditId = "any", Outcome = ModerationOutcome.Agreed, Reason = reason }));
        using var json = await rest.PostAsync("/v1/audits/any/moderationDecisions", new StringContent($"{{\"outcome\":\"MODERATION_OUTCOME_AGREED\",\"reason\":\"{reason}\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal((StatusCode.ResourceExhausted, "The request is 1 MiB; RecordModerationDecision accepts at most 64 KiB."), (grpc.StatusCode, grpc.Status.Detail));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    // The budget in use, as Prometheus scrapes it.
    private async Task<long> InFlight()
    {
        using var anonymous = _host.RestClient(token: null);
        var line = (await anonymous.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith("croydon_audit_request_memory_in_flight_bytes", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    // A body sent in two parts: the first kilobyte, then the rest once the test releases it.
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _body;

        public HeldContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new("application/json");
            Headers.ContentLength = body.Length;
        }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, 1024));
            await stream.FlushAsync();
            Started.SetResult();
            await Release.Task;
            await stream.WriteAsync(_body.AsMemory(1024));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
