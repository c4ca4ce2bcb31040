using System.Globalization;

namespace CroydonAudit.LoadTest;

/// <summary>The service-level targets, checked against one run's figures.</summary>
public static class Targets
{
    public static IEnumerable<string> Check(IReadOnlyList<ScenarioResult> results, long? peakResidentBytes)
    {
        var byName = results.ToDictionary(r => r.Scenario);
        if (byName.TryGetValue("health", out var health) && byName.TryGetValue("preview", out var preview))
        {
            var ratio = preview.CallsPerSecond / health.CallsPerSecond;
            yield return Line(ratio >= 0.25, $"preview at {ratio:P1} of health calls/s ({preview.CallsPerSecond:F0} / {health.CallsPerSecond:F0}); target at least 25%");
        }

        if (byName.TryGetValue("grade", out var grade))
        {
            yield return Line(grade.CallsPerSecond >= 5_000, $"grade: {grade.CallsPerSecond:F0} durably stored audits/s at {grade.Concurrency} callers; target at least 5,000");
            yield return Line(grade.P99 <= 50, $"grade: p99 {grade.P99:F1} ms; target at most 50 ms");
        }

        // Reads (issue: reads cheaper than writes, at any size).
        if (byName.TryGetValue("grade", out var write))
        {
            foreach (var get in new[] { "get", "get-seeded" }.Where(byName.ContainsKey).Select(n => byName[n]))
            {
                var ratio = get.CallsPerSecond / write.CallsPerSecond;
                yield return Line(ratio >= 2, $"{get.Scenario}: {ratio:F2}× grade's calls/s ({get.CallsPerSecond:F0} / {write.CallsPerSecond:F0}); target at least 2×");
                yield return Line(get.P99 <= 20, $"{get.Scenario}: p99 {get.P99:F1} ms at {get.Concurrency} callers; target at most 20 ms");
            }

            if (byName.TryGetValue("retry", out var retry))
            {
                yield return Line(retry.CallsPerSecond >= write.CallsPerSecond, $"retry: {retry.CallsPerSecond:F0} calls/s against grade's {write.CallsPerSecond:F0}; target at least as many");
            }
        }

        foreach (var list in results.Where(r => r.Scenario.StartsWith("list-", StringComparison.Ordinal)))
        {
            yield return Line(list.P99 <= 10, $"{list.Scenario}: p99 {list.P99:F2} ms at {list.Concurrency} callers; target at most 10 ms");
        }

        if (peakResidentBytes is { } peak)
        {
            yield return Line(peak < 300L * 1024 * 1024, $"service peak resident memory {peak / (1024 * 1024)} MB; target under 300 MB");
        }
    }

    private static string Line(bool met, string text) => string.Create(CultureInfo.InvariantCulture, $"{(met ? "MET   " : "MISSED")} {text}");
}
