using System.Globalization;

namespace CroydonAudit.LoadTest;

/// <summary>One scenario's measured figures; latencies in milliseconds.</summary>
public sealed record ScenarioResult(
    string Scenario,
    int Concurrency,
    long Calls,
    long Errors,
    double CallsPerSecond,
    double P50,
    double P90,
    double P99,
    double P999,
    string? FirstError)
{
    public static string Table(IEnumerable<ScenarioResult> results)
    {
        var lines = new List<string> { $"{"scenario",-17}{"callers",8}{"calls/s",11}{"p50 ms",9}{"p90 ms",9}{"p99 ms",9}{"p99.9 ms",10}{"errors",8}" };
        lines.AddRange(results.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Scenario,-17}{r.Concurrency,8}{r.CallsPerSecond,11:F0}{r.P50,9:F2}{r.P90,9:F2}{r.P99,9:F2}{r.P999,10:F2}{r.Errors,8}")));
        return string.Join(Environment.NewLine, lines);
    }
}
