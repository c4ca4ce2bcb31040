using System.Diagnostics;
using Grpc.Net.Client;
using HdrHistogram;

namespace CroydonAudit.LoadTest;

/// <summary>
/// Closed loop: each caller sends a call, waits for the answer, records its latency, and sends the
/// next; callers share a few HTTP/2 connections. Calls during the warm-up are not recorded.
/// </summary>
public static class ClosedLoopDriver
{
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, LoadOptions options, IReadOnlyList<GrpcChannel> channels)
    {
        if (scenario.Prepare is { } prepare)
        {
            await prepare(channels[0]);
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.WarmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var callers = Enumerable.Range(0, options.Concurrency)
            .Select(caller => Task.Run(() => CallerAsync(scenario, channels[caller % channels.Count], caller, measureFrom, stopAt)))
            .ToArray();
        var outcomes = await Task.WhenAll(callers);

        var latencies = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var outcome in outcomes)
        {
            latencies.Add(outcome.Latencies);
        }

        var calls = outcomes.Sum(o => o.Calls);
        var errors = outcomes.Sum(o => o.Errors);
        return new ScenarioResult(
            scenario.Name,
            options.Concurrency,
            calls,
            errors,
            calls / options.Duration.TotalSeconds,
            Milliseconds(latencies, 50),
            Milliseconds(latencies, 90),
            Milliseconds(latencies, 99),
            Milliseconds(latencies, 99.9),
            outcomes.Select(o => o.FirstError).FirstOrDefault(e => e is not null));
    }

    private static async Task<CallerOutcome> CallerAsync(Scenario scenario, GrpcChannel channel, int caller, long measureFrom, long stopAt)
    {
        var latencies = new LongHistogram(TimeStamp.Minutes(1), 3);
        long calls = 0, errors = 0, n = 0;
        string? firstError = null;
        while (true)
        {
            var began = Stopwatch.GetTimestamp();
            if (began >= stopAt)
            {
                break;
            }

            var failed = false;
            try
            {
                await scenario.Call(channel, caller, n++);
            }
            catch (Grpc.Core.RpcException e)
            {
                failed = true;
                firstError ??= $"{e.StatusCode}: {e.Status.Detail}";
            }

            var ended = Stopwatch.GetTimestamp();
            if (began >= measureFrom && ended <= stopAt)
            {
                calls++;
                errors += failed ? 1 : 0;
                latencies.RecordValue(ended - began);
            }
        }

        return new CallerOutcome(latencies, calls, errors, firstError);
    }

    private static double Milliseconds(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;

    private sealed record CallerOutcome(LongHistogram Latencies, long Calls, long Errors, string? FirstError);
}
