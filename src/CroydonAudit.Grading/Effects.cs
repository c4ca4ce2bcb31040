using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading;

/// <summary>What a fired rule did, in the trace's words. The common ones are built once, indexed by grade rank.</summary>
internal static class Effects
{
    public static readonly string[] SetBase = ByRank(g => $"set the base grade to {g}");

    public static readonly string[] LimitedTo = ByRank(g => $"limited the overall grade to {g}");

    public static readonly string[] AlreadyAt = ByRank(g => $"no change: the overall grade was already {g}");

    private static readonly Dictionary<Severity, string> OneFinding =
        Enum.GetValues<Severity>().ToDictionary(s => s, s => $"raised 1 {s.ToString().ToUpperInvariant()} finding");

    public static string Raised(int count, Severity severity) => count switch
    {
        0 => "raised no finding",
        1 => OneFinding[severity],
        _ => $"raised {count} {severity.ToString().ToUpperInvariant()} findings",
    };

    private static string[] ByRank(Func<string, string> text) =>
        [.. Enumerable.Range(0, 5).Select(rank => text(Words.Of((Grade)rank)))];
}
