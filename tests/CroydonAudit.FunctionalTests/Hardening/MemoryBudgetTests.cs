using System.Net;
using System.Net.Sockets;
using System.Text;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace CroydonAudit.FunctionalTests.Hardening;

/// <summary>
/// Floods of large bodies from an authorised caller, against the built service as its own process with its default
/// limits and the heap limit a 640 MiB pod gives it: bodies over their method's limit are RESOURCE_EXHAUSTED (413)
/// before they are read, and the service stays under 400 MB; bodies within it are read only while the budget of
/// bytes in flight holds them, or refused as busy with a retry delay, and the service stays inside its pod and serving.
/// </summary>
public sealed class MemoryBudgetTests : IDisposable
{
    private const long PodLimit = 640L * 1024 * 1024;
    private readonly TestDatabase _database = new();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("croydon-memory");

    [Fact]
    public async Task SixtyFourConcurrentLargeBodies_KeepTheServiceUnder400MB_AndEveryCallerGetsAClearStatus()
    {
        var (grpcPort, pagesPort) = (FreePort(), FreePort());
        var key = Path.Combine(_scratch.FullName, "key");
        using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Local",
            ["Auth__Mode"] = "Local",
            ["Auth__LocalSigningKeyPath"] = key,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{grpcPort}",
            ["Pages__Url"] = $"http://127.0.0.1:{pagesPort}",
            ["ConnectionStrings__Audit"] = _database.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            // What .NET gives itself in a pod limited to 640 MiB (deploy/kubernetes): 75% of it for its heap.
            ["DOTNET_GCHeapHardLimit"] = $"{PodLimit * 3 / 4:X}",
        }, TimeSpan.FromMinutes(1));
        var token = LocalTokens.Create(LocalSigningKey.LoadOrCreate(key), [Roles.Grader, Roles.Moderator]);
        using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pagesPort}"), Timeout = TimeSpan.FromMinutes(2) };
        rest.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        var grpc = new GradingService.GradingServiceClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {token}" } };
        var overLimit = new List<string>();
        var underLimit = new List<string>();

        // Over their methods' limits: 8 MB previews and moderation reasons, refused before they are read.
        for (var round = 0; round < 2; round++)
        {
            overLimit.AddRange(await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Post(rest, "/v1/audits:preview", PreviewJson(8_000_000)))));
            overLimit.AddRange(await Task.WhenAll(Enumerable.Range(0, 48).Select(_ => Post(rest, "/v1/audits/any/moderationDecisions",
                $"{{\"outcome\":\"MODERATION_OUTCOME_AGREED\",\"reason\":\"{new string('x', 8_000_000)}\"}}"))));
        }

        var afterOverLimit = service.PeakResidentBytes;

        // Within them: 3.9 MB bodies, as JSON and as gRPC, each read only while the budget of bytes in flight holds it.
        for (var round = 0; round < 2; round++)
        {
            underLimit.AddRange(await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Post(rest, "/v1/audits:preview", PreviewJson(3_900_000)))));
            underLimit.AddRange(await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Grpc(grpc, headers, 3_900_000))));
        }

        var stillServing = await grpc.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit }, headers);

        Assert.True(afterOverLimit < 400_000_000, $"peak resident memory {afterOverLimit / 1_000_000} MB");
        Assert.All(overLimit, s => Assert.Equal("413 RESOURCE_EXHAUSTED", s));
        Assert.True(service.PeakResidentBytes < PodLimit, $"peak resident memory {service.PeakResidentBytes / 1_000_000} MB");
        Assert.All(underLimit, s => Assert.Contains(s, new[] { "429 RESOURCE_EXHAUSTED", "400 INVALID_ARGUMENT", "grpc ResourceExhausted", "grpc InvalidArgument" }));
        Assert.Equal(Grade.Good, stillServing.Result.OverallGrade);
    }

    public void Dispose()
    {
        _database.Dispose();
        _scratch.Delete(recursive: true);
    }

    private static string PreviewJson(int size)
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.SummaryOfFindings = new string('y', size));
        return $"{{\"audit\":{new JsonFormatter(JsonFormatter.Settings.Default).Format(audit)}}}";
    }

    private static async Task<string> Post(HttpClient rest, string path, string body)
    {
        try
        {
            using var response = await rest.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            var code = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("code").GetInt32();
            return $"{(int)response.StatusCode} {(Google.Rpc.Code)code switch { Google.Rpc.Code.ResourceExhausted => "RESOURCE_EXHAUSTED", Google.Rpc.Code.InvalidArgument => "INVALID_ARGUMENT", var other => other.ToString() }}";
        }
        catch (HttpRequestException e)
        {
            // A server that answers 413 before the body is sent may close the connection under the client's feet.
            return e.InnerException is IOException ? "413 RESOURCE_EXHAUSTED" : $"failed: {e.Message}";
        }
    }

    private static async Task<string> Grpc(GradingService.GradingServiceClient client, Metadata headers, int size)
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.SummaryOfFindings = new string('z', size));
        try
        {
            await client.PreviewGradeAsync(new() { Audit = audit }, headers);
            return "grpc OK";
        }
        catch (RpcException e)
        {
            return $"grpc {e.StatusCode}";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
