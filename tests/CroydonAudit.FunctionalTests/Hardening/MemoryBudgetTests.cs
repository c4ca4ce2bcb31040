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
        using var rest = new HttpClient(SendCut.Handler()) { BaseAddress = new Uri($"http://127.0.0.1:{pagesPort}"), Timeout = TimeSpan.FromMinutes(2) };
        rest.DefaultRequestHeaders.Authorization = new("Bearer", token);
        // A connection of its own for each call: one the service closed after answering is never used again.
        rest.DefaultRequestHeaders.ConnectionClose = true;
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
        // Each refused body got its answer in full, whether or not the service then closed the connection on the rest.
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

    // The status and google.rpc.Status code a call was answered with, or why it got no answer: never a guess.
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
            return $"no answer: {e.Message} {e.InnerException?.Message}";
        }
    }

    /// <summary>
    /// Connections whose sending stops quietly once the service stops reading. The service answers a body over its
    /// limit at once, unread, and Kestrel then closes the connection rather than read the rest (it never drains a
    /// body larger than the request's limit): the rest of the send fails, but the answer has arrived and is read as
    /// any other. A connection closed before any answer still fails the call.
    /// </summary>
    private static class SendCut
    {
        public static SocketsHttpHandler Handler() => new()
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                return new CutStream(new NetworkStream(socket, ownsSocket: true));
            },
        };

        private sealed class CutStream(NetworkStream inner) : Stream
        {
            private bool _cut;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

            public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (_cut)
                {
                    return;
                }

                try
                {
                    await inner.WriteAsync(buffer, cancellationToken);
                }
                catch (IOException)
                {
                    _cut = true;
                }
            }

            public override void Flush()
            {
            }

            public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
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
