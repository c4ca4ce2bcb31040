using System.Text.Json;
using CroydonAudit.LoadTest;
using Grpc.Core;
using Grpc.Net.Client;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Fuzz > 0)
{
    using var probe = GrpcChannel.ForAddress(options.Target);
    if (!await ServiceReady.WaitAsync(probe, TimeSpan.FromSeconds(90)))
    {
        Console.Error.WriteLine($"The service at {options.Target} did not report SERVING within 90 seconds.");
        return 1;
    }

    var lines = await FuzzRun.RunAsync(options);
    foreach (var line in options.ServicePid is { } fuzzed && ServiceMemory.PeakResidentBytes(fuzzed) is { } fuzzPeak ? lines.Append(FuzzRun.Memory(fuzzPeak)) : lines)
    {
        Console.WriteLine(line);
    }

    return lines.Any(l => l.StartsWith("MISSED", StringComparison.Ordinal)) ? 1 : 0;
}

var channels = Enumerable.Range(0, options.Connections)
    .Select(_ => GrpcChannel.ForAddress(options.Target, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        Credentials = options.Token is { } token
            ? ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            }))
            : null,
        UnsafeUseInsecureChannelCallCredentials = true,
    }))
    .ToList();

if (!await ServiceReady.WaitAsync(channels[0], TimeSpan.FromSeconds(90)))
{
    Console.Error.WriteLine($"The service at {options.Target} did not report SERVING within 90 seconds.");
    return 1;
}

var results = new List<ScenarioResult>();
var memory = new Dictionary<string, long>();
foreach (var name in options.Scenarios)
{
    var result = await ClosedLoopDriver.RunAsync(Scenarios.Named(name, options), options, channels);
    results.Add(result);
    if (options.ServicePid is { } pid && ServiceMemory.PeakResidentBytes(pid) is { } peak)
    {
        memory[name] = peak;
    }

    Console.Error.WriteLine($"{name}: {result.CallsPerSecond:F0} calls/s{(result.FirstError is { } error ? $", first error {error}" : "")}");
}

Console.WriteLine(ScenarioResult.Table(results));
long? peakMemory = memory.Count > 0 ? memory.Values.Max() : null;
Console.WriteLine();
foreach (var line in Targets.Check(results, peakMemory))
{
    Console.WriteLine(line);
}

if (options.JsonPath is { } path)
{
    var report = new { options.Target, options.Concurrency, options.Connections, WarmUpSeconds = options.WarmUp.TotalSeconds, DurationSeconds = options.Duration.TotalSeconds, Results = results, ServicePeakResidentMegabytes = peakMemory / (1024 * 1024) };
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
}

return results.Any(r => r.Calls == 0) ? 1 : 0;
