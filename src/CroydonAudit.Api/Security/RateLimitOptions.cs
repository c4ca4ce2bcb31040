namespace CroydonAudit.Api.Security;

/// <summary>Configuration section "RateLimit": how many calls each authenticated caller (or, without a token, each address) may make.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimit";

    /// <summary>Calls a second, sustained, per caller.</summary>
    public int PermitsPerSecond { get; set; } = 5_000;

    /// <summary>Calls a caller may make at once above that, in a burst.</summary>
    public int Burst { get; set; } = 10_000;
}
