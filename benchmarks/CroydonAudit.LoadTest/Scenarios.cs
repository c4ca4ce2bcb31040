using Croydon.Audit.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CroydonAudit.LoadTest;

/// <summary>One kind of call the driver makes over and over: <paramref name="Call"/>(channel, caller, n).</summary>
public sealed record Scenario(string Name, Func<GrpcChannel, int, long, Task> Call, Func<GrpcChannel, Task>? Prepare = null);

/// <summary>The scenarios: the server's ceiling (health), grading without and with storing, and reading back.</summary>
public static class Scenarios
{
    private const int StoredForGet = 2_000;
    private static readonly string RunId = DateTime.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public static Scenario Named(string name) => name switch
    {
        "health" => new(name, static (channel, _, _) => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync),
        "preview" => new(name, static (channel, caller, n) => new GradingService.GradingServiceClient(channel)
            .PreviewGradeAsync(new() { Audit = SampleAudit.Typical($"preview-{caller}-{n}") }).ResponseAsync),
        "grade" => new(name, static (channel, caller, n) => new GradingService.GradingServiceClient(channel)
            .GradeAuditAsync(new() { Audit = SampleAudit.Typical($"load-{RunId}-{caller}-{n}") }).ResponseAsync),
        "get" => new(name,
            static (channel, caller, n) => new GradingService.GradingServiceClient(channel)
                .GetAuditAsync(new() { AuditId = $"get-{RunId}-{(caller * 7919 + n) % StoredForGet}" }).ResponseAsync,
            Prepare: SeedForGet),
        _ => throw new ArgumentException($"Unknown scenario '{name}': health, preview, grade or get."),
    };

    private static async Task SeedForGet(GrpcChannel channel)
    {
        var client = new GradingService.GradingServiceClient(channel);
        foreach (var chunk in Enumerable.Range(0, StoredForGet).Chunk(64))
        {
            await Task.WhenAll(chunk.Select(i => client.GradeAuditAsync(new() { Audit = SampleAudit.Typical($"get-{RunId}-{i}") }).ResponseAsync));
        }
    }
}
