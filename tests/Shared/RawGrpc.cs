using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace CroydonAudit.Testing;

/// <summary>
/// Calls a gRPC method with a body of raw bytes over HTTP/2 — whatever a broken or hostile client might send —
/// and reads back the status, message and the size of what came back in the trailers. Linked into the tests and the load driver.
/// </summary>
public sealed class RawGrpc(Uri server, string? token = null) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A gRPC frame: uncompressed, the length, then the message.</summary>
    public static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Posts the body to the method (e.g. <c>croydon.audit.v1.GradingService/PreviewGrade</c>).</summary>
    public async Task<Outcome> CallAsync(string method, byte[] body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", $"Bearer {token}");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        await response.Content.ReadAsByteArrayAsync();
        var grpc = response.Headers.Concat(response.TrailingHeaders).Where(h => h.Key.StartsWith("grpc-", StringComparison.Ordinal)).ToList();
        var status = grpc.FirstOrDefault(h => h.Key == "grpc-status").Value?.FirstOrDefault();
        var message = grpc.FirstOrDefault(h => h.Key == "grpc-message").Value?.FirstOrDefault() ?? "";
        var size = grpc.Sum(h => h.Key.Length + h.Value.Sum(v => v.Length));
        return new Outcome(status is null ? -1 : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(message), size);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>What came back: the gRPC status code (-1 when none), its message, and the bytes of every grpc-* header and trailer.</summary>
    public sealed record Outcome(int Status, string Message, int ErrorBytes);
}
