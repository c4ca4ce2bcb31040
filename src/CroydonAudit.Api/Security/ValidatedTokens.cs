using System.Collections.Concurrent;
using System.Security.Claims;

namespace CroydonAudit.Api.Security;

/// <summary>
/// Bearer tokens validated in the last minute, with the caller each stands for, so that a client sending
/// thousands of calls with one token has it read and checked once, not on every call: parsing and checking
/// a token, and building its claims, were most of what authentication cost a call.
/// </summary>
/// <remarks>
/// The cache never accepts what validation would refuse at that moment: a token is remembered only after it
/// passed, and forgotten at its expiry (before validation's clock-skew allowance would let it go), or after
/// <see cref="Remember"/>'s one minute, whichever is sooner — so a signing key the provider withdraws stops
/// being accepted within a minute. Keyed by the whole Authorization header value; bounded in number.
/// </remarks>
public sealed class ValidatedTokens(TimeProvider clock)
{
    /// <summary>The most tokens remembered at once; beyond it a token is simply validated each time.</summary>
    public const int Capacity = 4_096;

    /// <summary>The longest a token is remembered.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Caller, DateTimeOffset Until)> _remembered = new(StringComparer.Ordinal);

    /// <summary>The caller a header's token stands for, if it was validated recently and has not expired.</summary>
    public bool TryGet(string authorization, out ClaimsPrincipal caller)
    {
        if (_remembered.TryGetValue(authorization, out var entry))
        {
            if (entry.Until > clock.GetUtcNow())
            {
                caller = entry.Caller;
                return true;
            }

            _remembered.TryRemove(KeyValuePair.Create(authorization, entry));
        }

        caller = null!;
        return false;
    }

    /// <summary>Remembers a token that has just passed validation, until it expires or for a minute.</summary>
    public void Remember(string authorization, ClaimsPrincipal caller, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        var until = expires < now + MaxAge ? expires : now + MaxAge;
        if (until <= now)
        {
            return;
        }

        if (_remembered.Count >= Capacity)
        {
            foreach (var (key, entry) in _remembered)
            {
                if (entry.Until <= now)
                {
                    _remembered.TryRemove(KeyValuePair.Create(key, entry));
                }
            }

            if (_remembered.Count >= Capacity)
            {
                return;
            }
        }

        _remembered[authorization] = (caller, until);
    }
}
