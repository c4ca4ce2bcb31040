using CroydonAudit.Store;
using Microsoft.Extensions.Time.Testing;

namespace CroydonAudit.Store.Tests;

/// <summary>Callers' reads beside waiting writes: one at a time, each leaving the way to the writes for as long as it took.</summary>
public sealed class ReadGateTests
{
    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 1)]
    public async Task RunAsync_ReadsGoOneAtATime_OnlyWhileWritesWait(bool writesWaiting, int mostAtOnce)
    {
        // Reads that last until the test lets them go, on a clock that does not move (no read leaves a pause).
        var gate = new ReadGate(connections: 4, () => writesWaiting, new FakeTimeProvider());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var most = 0;

        var reads = Enumerable.Range(0, 12).Select(_ => gate.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await release.Task;
            Interlocked.Decrement(ref running);
            return now;
        }, CancellationToken.None)).ToList();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref running) == mostAtOnce), TimeSpan.FromSeconds(10)));
        await Task.Delay(50);
        Assert.Equal(mostAtOnce, Volatile.Read(ref running));
        release.SetResult();
        await Task.WhenAll(reads);

        Assert.Equal(mostAtOnce, most);
    }

    [Fact]
    public async Task RunAsync_WhileWritesWait_EachReadLeavesTheWayToThemForAsLongAsItTook()
    {
        // On a clock of the test's own: each read takes 3 ms of it, and the next may start only once 3 ms more have passed.
        var clock = new FakeTimeProvider();
        var gate = new ReadGate(connections: 4, () => true, clock);
        var started = 0;
        var reads = Enumerable.Range(0, 3).Select(_ => gate.RunAsync(_ =>
        {
            Interlocked.Increment(ref started);
            clock.Advance(TimeSpan.FromMilliseconds(3));
            return Task.FromResult(0);
        }, CancellationToken.None)).ToList();

        foreach (var next in new[] { 2, 3 })
        {
            // The read before has finished, and its pause begun.
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(reads.Count(r => r.IsCompleted) == next - 1), TimeSpan.FromSeconds(5)));
            clock.Advance(TimeSpan.FromMilliseconds(2));
            await Task.Delay(100);
            Assert.Equal(next - 1, Volatile.Read(ref started));
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref started) == next), TimeSpan.FromSeconds(5)), $"read {next} did not start once 3 ms had passed");
        }

        await Task.WhenAll(reads);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
