namespace CroydonAudit.Store.Reporting;

/// <summary>
/// The programme report's counts over some audits, in a form that adds up: a month's for one team, a period's for
/// every team. Kept months are stored as this, in JSON (V14).
/// </summary>
internal sealed class FigureSums
{
    /// <summary>Each area's six counts: not graded, the four grades, not applicable.</summary>
    public const int AreaCounts = 6;

    public long Audits { get; set; }

    /// <summary>By overall grade (the rules'), Outstanding to Inadequate.</summary>
    public long[] Overall { get; set; } = new long[4];

    /// <summary>By grade of record (a moderator's decision where there is one, else the rules'), Outstanding to Inadequate.</summary>
    public long[] Final { get; set; } = new long[4];

    public long Proposed { get; set; }

    public long Agreed { get; set; }

    public long ModerationRequired { get; set; }

    public long LearningPoints { get; set; }

    /// <summary>Nine areas × <see cref="AreaCounts"/>, area by area.</summary>
    public long[] Areas { get; set; } = new long[9 * AreaCounts];

    /// <summary>Per auditor: audits, proposed, agreed.</summary>
    public Dictionary<string, long[]> Auditors { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Limits { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Findings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>By Croydon value's number.</summary>
    public Dictionary<short, long> Values { get; set; } = [];

    /// <summary>Adds <paramref name="other"/>'s counts to these.</summary>
    public void Add(FigureSums other)
    {
        Audits += other.Audits;
        Proposed += other.Proposed;
        Agreed += other.Agreed;
        ModerationRequired += other.ModerationRequired;
        LearningPoints += other.LearningPoints;
        AddTo(Overall, other.Overall);
        AddTo(Final, other.Final);
        AddTo(Areas, other.Areas);
        foreach (var (auditor, counts) in other.Auditors)
        {
            AddTo(Auditors.TryGetValue(auditor, out var mine) ? mine : Auditors[auditor] = new long[3], counts);
        }

        AddTo(Limits, other.Limits);
        AddTo(Findings, other.Findings);
        AddTo(Values, other.Values);
    }

    private static void AddTo(long[] mine, long[] other)
    {
        for (var i = 0; i < mine.Length; i++)
        {
            mine[i] += other[i];
        }
    }

    private static void AddTo<TKey>(Dictionary<TKey, long> mine, Dictionary<TKey, long> other)
        where TKey : notnull
    {
        foreach (var (key, count) in other)
        {
            mine[key] = mine.GetValueOrDefault(key) + count;
        }
    }
}
