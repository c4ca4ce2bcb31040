using System.Security.Claims;
using CroydonAudit.Api.Security;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>The memory of recently validated tokens never accepts a token longer than validation would, nor grows without bound.</summary>
public sealed class ValidatedTokensTests
{
    private readonly Clock _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly ClaimsPrincipal _caller = new(new ClaimsIdentity([new Claim("sub", "someone")], "Bearer"));

    [Fact]
    public void AToken_IsRememberedUntilItExpires_AndNotAMomentLonger()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("Bearer a", _caller, _clock.Now.AddSeconds(30));

        var before = tokens.TryGet("Bearer a", out var remembered);
        _clock.Now = _clock.Now.AddSeconds(30);
        var atExpiry = tokens.TryGet("Bearer a", out _);

        Assert.Equal((true, false), (before, atExpiry));
        Assert.Same(_caller, remembered);
    }

    [Fact]
    public void ALongLivedToken_IsRememberedForAMinuteAtMost_AndAnExpiredOneNotAtAll()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("Bearer long", _caller, _clock.Now.AddHours(8));
        tokens.Remember("Bearer expired", _caller, _clock.Now.AddSeconds(-1));

        _clock.Now = _clock.Now + ValidatedTokens.MaxAge - TimeSpan.FromTicks(1);
        var justBefore = tokens.TryGet("Bearer long", out _);
        _clock.Now = _clock.Now.AddTicks(1);

        Assert.Equal((true, false, false), (justBefore, tokens.TryGet("Bearer long", out _), tokens.TryGet("Bearer expired", out _)));
        Assert.False(tokens.TryGet("Bearer never-seen", out _));
    }

    [Fact]
    public void WhenFull_NewTokensAreNotRemembered_UntilExpiredOnesMakeRoom()
    {
        var tokens = new ValidatedTokens(_clock);
        for (var i = 0; i < ValidatedTokens.Capacity; i++)
        {
            tokens.Remember($"Bearer {i}", _caller, _clock.Now.AddSeconds(10));
        }

        tokens.Remember("Bearer one too many", _caller, _clock.Now.AddSeconds(30));
        var whileFull = tokens.TryGet("Bearer one too many", out _);
        _clock.Now = _clock.Now.AddSeconds(10);
        tokens.Remember("Bearer one too many", _caller, _clock.Now.AddSeconds(30));

        Assert.Equal((false, true), (whileFull, tokens.TryGet("Bearer one too many", out _)));
        Assert.False(tokens.TryGet("Bearer 0", out _));
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
