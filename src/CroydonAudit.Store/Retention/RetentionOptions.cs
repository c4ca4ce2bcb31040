namespace CroydonAudit.Store.Retention;

/// <summary>Configuration section "Retention": how long audits are kept. Off unless <see cref="Years"/> is set.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Retention";

    /// <summary>Revisions received longer ago than this many years are deleted, with their trace; none when unset.</summary>
    public int? Years { get; set; }

    /// <summary>How often the job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many revisions one transaction deletes.</summary>
    public int BatchSize { get; set; } = 1_000;
}
