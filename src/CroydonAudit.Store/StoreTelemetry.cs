using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CroydonAudit.Store;

/// <summary>
/// The store's metrics and spans (both named <see cref="Name"/>): each batch of writes (a group commit) or reads
/// its size and how long it took, and a span linked to the calls it served. Npgsql's own spans (its commands)
/// are children of the batch's span. Tags name the kind of batch only.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "CroydonAudit.Store";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "croydon.audit.store.batch.duration", "s", "How long a batch took in the store: a group commit of writes, or one statement of reads.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5] });

    private static readonly Histogram<int> Size = Meter.CreateHistogram(
        "croydon.audit.store.batch.size", "{call}", "How many calls one batch served.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    internal static void RecordBatch(string kind, int size, TimeSpan took)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        Duration.Record(took.TotalSeconds, tag);
        Size.Record(size, tag);
    }
}
