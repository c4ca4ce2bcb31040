using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;

namespace CroydonAudit.Grading;

/// <summary>The nine area results of a grading. Each (area, grade, not applicable) result is immutable, so it is built once and shared.</summary>
internal static class AreaResults
{
    private static readonly Dictionary<(PracticeArea, Grade, bool), AreaResult> Shared =
        (from area in Enum.GetValues<PracticeArea>()
         from grade in Enum.GetValues<Grade>()
         from notApplicable in new[] { false, true }
         select new AreaResult(area, grade, notApplicable)).ToDictionary(r => (r.Area, r.Grade, r.NotApplicable));

    public static AreaResult[] Of(IReadOnlyList<AreaFact> areas)
    {
        var results = new AreaResult[areas.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Shared[(areas[i].Area, areas[i].Grade, areas[i].NotApplicable)];
        }

        return results;
    }
}
