using Croydon.Audit.V1;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.FunctionalTests.Hardening;

/// <summary>
/// A caller's mistakes, however malformed, are INVALID_ARGUMENT (or RESOURCE_EXHAUSTED), with a short message and
/// a bounded error, never UNKNOWN or INTERNAL, and never a stack trace in the log.
/// </summary>
public sealed class MalformedRequestTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private const string PreviewGrade = "croydon.audit.v1.GradingService/PreviewGrade";

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "a single byte, not even a frame", [0x2e] },
        { "a frame whose message has an invalid wire type", RawGrpc.Frame([0x2e]) },
        { "a frame cut short", RawGrpc.Frame(new PreviewGradeRequest { Audit = FixtureCases.Load("complete-good").Audit }.ToByteArray())[..40] },
        { "a string that is not UTF-8", RawGrpc.Frame([0x0a, 0x03, 0x0a, 0x01, 0xff]) },
        { "junk after the message", [.. RawGrpc.Frame(new PreviewGradeRequest().ToByteArray()), 1, 2, 3] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task PreviewGrade_MalformedBytes_IsInvalidArgumentWithoutAStackTrace(string what, byte[] body)
    {
        using var raw = new RawGrpc(host.Address, host.AdminToken);

        var outcome = await raw.CallAsync(PreviewGrade, body);

        Assert.True(outcome.Status == (int)StatusCode.InvalidArgument, $"{what}: {outcome}");
        Assert.DoesNotContain(host.Logs.Events, e => IsAboutCalls(e) && e.Level >= LogLevel.Error);
        Assert.DoesNotContain(host.Logs.Events, e => e.Message.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewGrade_ThreeHundredAreas_IsRefusedByCountWithASmallError()
    {
        var audit = FixtureCases.Load("complete-good").Audit;
        foreach (var _ in Enumerable.Range(0, 291))
        {
            audit.Areas.Add(audit.Areas[0].Clone());
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.PreviewGradeAsync(new() { Audit = audit }));
        using var raw = new RawGrpc(host.Address, host.AdminToken);
        var outcome = await raw.CallAsync(PreviewGrade, RawGrpc.Frame(new PreviewGradeRequest { Audit = audit }.ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("audit.areas", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.True(outcome.ErrorBytes < 8 * 1024, outcome.ToString());
    }

    [Fact]
    public async Task PreviewGrade_AStringOverAnyFieldsSize_IsRefusedBeforeParsing_NamingItsPath()
    {
        var audit = FixtureCases.Load("complete-good").Audit;
        audit.Areas[2].Evidence = new string('e', 4 * AuditSubmissionValidator.MaxTextLength + 1);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("audit.areas[2].evidence", violation.Field);
        Assert.StartsWith("is 80,001 bytes long", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationError_WithHundredsOfViolations_ListsTwentyAndHowManyMore()
    {
        var audit = FixtureCases.Load("complete-good").Audit;
        foreach (var (area, i) in audit.Areas.Select((a, i) => (a, i)))
        {
            (area.Evidence, area.GoodPractice, area.SignificantConcernDetail) = ("\0", "\0", "\0");
        }

        audit.Strengths = audit.Learning = audit.SummaryOfFindings = "\0";

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.PreviewGradeAsync(new() { Audit = audit }));

        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations;
        Assert.Equal(21, violations.Count);
        Assert.Equal("… and 10 more violations not listed.", violations[^1].Description);
    }

    [Theory]
    [InlineData(60_000, StatusCode.InvalidArgument)]
    // Over GetAudit's 64 KiB body limit: refused before it is read.
    [InlineData(70_000, StatusCode.ResourceExhausted)]
    public async Task GetAudit_HugeId_IsRefusedAndNotEchoed(int length, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GetAuditAsync(new() { AuditId = new string('a', length) }));

        Assert.Equal(expected, error.StatusCode);
        Assert.True(error.Status.Detail.Length < 500, error.Status.Detail);
    }

    public static TheoryData<string> QueriesWithNul => ["GetAudit id", "ListAudits team", "ListAudits auditor", "ListAudits page token", "RegradeAudit id"];

    [Theory]
    [MemberData(nameof(QueriesWithNul))]
    public async Task Query_WithNul_IsInvalidArgumentNotAStoreError(string where)
    {
        var token = Convert.ToBase64String([1, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, (byte)'b']).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Func<Task> call = where switch
        {
            "GetAudit id" => () => host.Client.GetAuditAsync(new() { AuditId = "a\0b" }).ResponseAsync,
            "ListAudits team" => () => host.Client.ListAuditsAsync(new() { Team = "t\0" }).ResponseAsync,
            "ListAudits auditor" => () => host.Client.ListAuditsAsync(new() { AuditorId = "a\0" }).ResponseAsync,
            "ListAudits page token" => () => host.Client.ListAuditsAsync(new() { PageToken = token }).ResponseAsync,
            _ => () => host.Client.RegradeAuditAsync(new() { AuditId = "a\0b" }).ResponseAsync,
        };

        var error = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task ManyRefusals_LogOneWarningLine_NotOneEach()
    {
        using var raw = new RawGrpc(host.Address, host.AdminToken);
        var warningsBefore = host.Logs.Events.Count(e => e.Category.EndsWith("RequestGuard", StringComparison.Ordinal));

        for (var i = 0; i < 50; i++)
        {
            await raw.CallAsync(PreviewGrade, RawGrpc.Frame([0x2e]));
        }

        Assert.True(host.Logs.Events.Count(e => e.Category.EndsWith("RequestGuard", StringComparison.Ordinal)) - warningsBefore <= 1);
    }

    [Fact]
    public async Task Reflection_StreamResetByTheClient_IsNotAnError()
    {
        using var reset = new CancellationTokenSource();
        using (var call = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo(cancellationToken: reset.Token))
        {
            await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await reset.CancelAsync();
        }

        await Task.Delay(500);

        Assert.DoesNotContain(host.Logs.Events, e => IsAboutCalls(e) && e.Level >= LogLevel.Warning && e.Message.Contains("Reflection", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(host.Logs.Events, e => IsAboutCalls(e) && e.Level >= LogLevel.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("croydon.audit.v1.GradingService")]
    [InlineData("croydon.audit.v1.RuleSetService")]
    public async Task Health_ByServiceName_IsServing(string service)
    {
        var status = ServingStatus(service);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await status);
    }

    private static bool IsAboutCalls(LogCapture.LoggedEvent e) =>
        e.Category.StartsWith("Grpc", StringComparison.Ordinal) || e.Category.StartsWith("CroydonAudit.Api", StringComparison.Ordinal);

    private async Task<HealthCheckResponse.Types.ServingStatus> ServingStatus(string service)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                var status = (await host.Health.CheckAsync(new HealthCheckRequest { Service = service })).Status;
                if (status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return status;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }

            await Task.Delay(200);
        }

        return (await host.Health.CheckAsync(new HealthCheckRequest { Service = service })).Status;
    }
}
