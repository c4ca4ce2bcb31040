using System.Globalization;
using BenchmarkDotNet.Reports;

namespace CroydonAudit.Benchmarks;

/// <summary>The engine and re-grading targets, checked against BenchmarkDotNet's summaries.</summary>
public static class TargetReport
{
    public static IEnumerable<string> Check(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        var grading = reports
            .Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(GradingBenchmarks.Typical))
            .Select(r => (Multiplier: (int)r.BenchmarkCase.Parameters["RuleMultiplier"], Median: r.ResultStatistics!.Median / 1000, Allocated: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0))
            .OrderBy(g => g.Multiplier)
            .ToList();
        if (grading.FirstOrDefault(g => g.Multiplier == 1) is { Multiplier: 1 } typical)
        {
            yield return Line(typical.Median <= 50, $"engine: typical audit, full trace, median {typical.Median:F1} µs; target at most 50 µs");
            yield return Line(typical.Allocated <= 32 * 1024, $"engine: typical audit allocates {typical.Allocated / 1024.0:F1} KB; target at most 32 KB");
        }

        if (grading.Count > 1)
        {
            var perRule = grading.Select(g => $"×{g.Multiplier}: {g.Median:F1} µs").ToList();
            var first = grading[0];
            var last = grading[^1];
            var growth = last.Median / first.Median / (last.Multiplier / (double)first.Multiplier);
            yield return Line(growth <= 1.1, $"engine: cost with the rules multiplied ({string.Join(", ", perRule)}): {growth:F2} × linear at ×{last.Multiplier}; target no worse than linear");
        }

        if (reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ImpactPreviewBenchmarks.PreviewImpact)) is { } impact)
        {
            var seconds = impact.ResultStatistics!.Median / 1e9;
            yield return Line(seconds < 5, $"impact preview over {ImpactPreviewBenchmarks.Audits:N0} stored audits: {seconds:F2} s; target under 5 s");
            yield return Line(ImpactPreviewBenchmarks.Audits / seconds >= 20_000, $"re-grading from the store: {ImpactPreviewBenchmarks.Audits / seconds:F0} audits/s; target at least 20,000");
        }

        if (reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(RuleSetLoadBenchmarks.CheckForActivation)) is { } check)
        {
            var milliseconds = check.ResultStatistics!.Median / 1e6;
            yield return Line(milliseconds < 1_000, $"activation check of the shipped rules (schemas, compile, warm, worked cases, coverage): {milliseconds:F0} ms; target under 1 s");
        }
    }

    private static string Line(bool met, string text) => string.Create(CultureInfo.InvariantCulture, $"{(met ? "MET   " : "MISSED")} {text}");
}
