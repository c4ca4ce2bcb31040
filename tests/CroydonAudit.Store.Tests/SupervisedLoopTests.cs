using CroydonAudit.Store.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CroydonAudit.Store.Tests;

/// <summary>A background loop that fails unexpectedly is logged as a bug and started again; it never dies silently.</summary>
public sealed class SupervisedLoopTests
{
    [Fact]
    public async Task RunAsync_ABodyThatFails_IsLoggedOnceForEachFailure_AndStartedAgain()
    {
        var clock = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var runs = 0;

        var loop = SupervisedLoop.RunAsync("the test's loop", _ => ++runs switch
        {
            <= 3 => throw new InvalidOperationException("the same bug"),
            4 => throw new FormatException("another bug"),
            _ => Task.CompletedTask,
        }, logger, clock, CancellationToken.None);
        // Each restart waits its pause on the test's clock.
        Assert.True(await Eventually.HoldsAsync(() =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            return Task.FromResult(loop.IsCompleted);
        }, TimeSpan.FromSeconds(10)));
        await loop;

        Assert.Equal(5, runs);
        Assert.Equal([(LogLevel.Critical, "the same bug"), (LogLevel.Critical, "another bug")], logger.Entries);
    }

    [Fact]
    public async Task RunAsync_TheSameFailureAfterALongGoodRun_IsLoggedAgain()
    {
        var clock = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var runs = 0;

        var loop = SupervisedLoop.RunAsync("the test's loop", _ =>
        {
            runs++;
            if (runs == 2)
            {
                // A good hour's work before the same bug comes back.
                clock.Advance(TimeSpan.FromHours(1));
            }

            return runs <= 2 ? throw new InvalidOperationException("the same bug") : Task.CompletedTask;
        }, logger, clock, CancellationToken.None);
        Assert.True(await Eventually.HoldsAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(loop.IsCompleted);
        }, TimeSpan.FromSeconds(10)));
        await loop;

        Assert.Equal([(LogLevel.Critical, "the same bug"), (LogLevel.Critical, "the same bug")], logger.Entries);
    }

    [Fact]
    public async Task RunAsync_AFailureOnTheWayOut_WhenStopping_IsNoBug()
    {
        var logger = new RecordingLogger();
        using var stopping = new CancellationTokenSource();

        var loop = SupervisedLoop.RunAsync("the test's loop", async token =>
        {
            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw new InvalidOperationException("the connection was closed under it");
        }, logger, TimeProvider.System, stopping.Token);
        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task RunAsync_Stopping_EndsTheLoopWithoutAWord()
    {
        var logger = new RecordingLogger();
        using var stopping = new CancellationTokenSource();

        var loop = SupervisedLoop.RunAsync("the test's loop", token => Task.Delay(Timeout.Infinite, token), logger, TimeProvider.System, stopping.Token);
        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(logger.Entries);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, exception?.Message ?? ""));
            }
        }
    }
}
