using System.Globalization;
using CroydonAudit.Testing;

namespace CroydonAudit.LoadTest;

/// <summary>
/// Seeded bad requests at the running service, many at once: what a fuzzer or a broken client sends. Every
/// answer must be a clear status (OK, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED) within 8 KB, and the
/// service's memory must stay bounded (the target is checked from its peak resident memory).
/// </summary>
public static class FuzzRun
{
    public static async Task<IReadOnlyList<string>> RunAsync(LoadOptions options)
    {
        using var raw = new RawGrpc(options.Target, options.Token);
        var fuzzer = new RequestFuzzer(SampleAudit.Typical("fuzz-template"), seed: 4_242);
        var statuses = new Dictionary<int, int>();
        var unexpected = 0;
        var largest = 0;
        var started = DateTime.UtcNow;
        for (var sent = 0; sent < options.Fuzz; sent += options.Concurrency)
        {
            var calls = Enumerable.Range(0, Math.Min(options.Concurrency, options.Fuzz - sent)).Select(_ => fuzzer.Next())
                .Select(async r => (r.Method, Outcome: await raw.CallAsync(r.Method, r.Body))).ToList();
            foreach (var (method, outcome) in await Task.WhenAll(calls))
            {
                statuses[outcome.Status] = statuses.GetValueOrDefault(outcome.Status) + 1;
                largest = Math.Max(largest, outcome.ErrorBytes);
                if (!(outcome.Status is 0 or 3 or 8 || (outcome.Status == 5 && method.EndsWith("/GetAudit", StringComparison.Ordinal))) || outcome.ErrorBytes >= 8 * 1024)
                {
                    unexpected++;
                }
            }
        }

        var elapsed = DateTime.UtcNow - started;
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"fuzz: {options.Fuzz:N0} requests, {options.Concurrency} at once, in {elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}"))}; largest error {largest:N0} bytes"),
            Line(unexpected == 0, $"fuzz: every answer OK, INVALID_ARGUMENT, NOT_FOUND or RESOURCE_EXHAUSTED, under 8 KB ({unexpected} were not)"),
        ];
    }

    public static string Memory(long peak) => Line(peak < 400L * 1024 * 1024, $"fuzz: service peak resident memory {peak / (1024 * 1024)} MB; target under 400 MB");

    private static string Line(bool met, string text) => string.Create(CultureInfo.InvariantCulture, $"{(met ? "MET   " : "MISSED")} {text}");
}
