using CroydonAudit.Store;

namespace CroydonAudit.Api.Services;

/// <summary>
/// The teams with stored audits, for ListTeams: read from the store at most once a minute (teams change rarely, and
/// counting every audit's team is a scan), shared by every caller of this replica. An audit stored here for a team
/// not yet listed makes the next call read them again; another replica's, within the minute.
/// </summary>
public sealed class TeamNames(AuditStore store, TimeProvider clock)
{
    /// <summary>The most teams listed.</summary>
    public const int Max = 500;

    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _reading = new(1, 1);

    // Replaced whole, never changed: readers on other threads see one list or another, never half of one.
    private volatile Kept? _kept;

    /// <summary>The teams, by name, with their audits; and whether there are more than <see cref="Max"/>.</summary>
    public async Task<(IReadOnlyList<(string Team, long Audits)> Teams, bool Truncated)> ListAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } kept)
        {
            return kept;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            var (teams, truncated) = await store.ListTeamsAsync(Max, cancellationToken);
            _kept = new Kept(clock.GetUtcNow(), teams, truncated);
            return (teams, truncated);
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>
    /// An audit of <paramref name="team"/> was stored: a team not listed yet is listed from the next call. A list cut
    /// short at <see cref="Max"/> is kept for its minute: a team beyond it would otherwise send every call to the store.
    /// </summary>
    public void Noticed(string team)
    {
        if (_kept is { Truncated: false } kept && !kept.Names.Contains(team))
        {
            _kept = null;
        }
    }

    private (IReadOnlyList<(string Team, long Audits)>, bool)? Fresh() =>
        _kept is { } kept && clock.GetUtcNow() - kept.At < KeptFor ? (kept.Teams, kept.Truncated) : null;

    // Names, for a stored audit's look-up: GradeAudit asks on every write.
    private sealed record Kept(DateTimeOffset At, IReadOnlyList<(string Team, long Audits)> Teams, bool Truncated)
    {
        public HashSet<string> Names { get; } = [.. Teams.Select(t => t.Team)];
    }
}
