using System.Diagnostics.Metrics;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading;

/// <summary>
/// The grading engine's metrics (meter <see cref="MeterName"/>), for every grading it does: previews, stored
/// grades, re-grades, impact previews and worked cases. Tags are rule ids and grades only, never an audit's
/// content; with no listener (no metrics configured) recording costs next to nothing.
/// </summary>
public static class GradingMetrics
{
    /// <summary>The meter's name, for a metrics pipeline to listen to.</summary>
    public const string MeterName = "CroydonAudit.Grading";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "croydon.audit.grading.duration", "s", "How long grading one audit took: its facts, every rule, the trace and the summary.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000005, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.005, 0.01, 0.1, 1] });

    private static readonly Counter<long> Fired = Meter.CreateCounter<long>(
        "croydon.audit.rules.fired", "{rule}", "Rules whose condition held, by rule id.");

    private static readonly Counter<long> Deciding = Meter.CreateCounter<long>(
        "croydon.audit.grade.deciding_limits", "{limit}", "Limits that decided an overall grade (held it below the base grade), by rule id.");

    private static readonly Counter<long> Graded = Meter.CreateCounter<long>(
        "croydon.audit.graded", "{audit}", "Audits graded, by overall grade.");

    // Each grade's tag, made once: recording runs for every audit graded.
    private static readonly Dictionary<Grade, KeyValuePair<string, object?>> GradeTags =
        Enum.GetValues<Grade>().ToDictionary(g => g, g => new KeyValuePair<string, object?>("grade", g.ToString()));

    internal static void Record(GradingResult result, TimeSpan took)
    {
        Duration.Record(took.TotalSeconds);
        Graded.Add(1, GradeTags[result.OverallGrade]);
        if (Fired.Enabled)
        {
            foreach (var entry in result.Trace)
            {
                if (entry.Fired)
                {
                    Fired.Add(1, new KeyValuePair<string, object?>("rule_id", entry.RuleId));
                }
            }
        }

        foreach (var ruleId in result.DecidingLimits)
        {
            Deciding.Add(1, new KeyValuePair<string, object?>("rule_id", ruleId));
        }
    }
}
