using CroydonAudit.Grading.Domain;
using CroydonAudit.Store;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// Group commit in isolation, with the database replaced by a recording writer: saves waiting together
/// share one batch; a batch failing for one audit's content is retried audit by audit; an unavailable
/// store fails the whole batch; the queue says when saves are waiting, and callers' reads then go one at a time.
/// </summary>
public sealed class BatchQueueTests
{
    [Fact]
    public async Task SaveAsync_ConcurrentSaves_ShareOneBatch()
    {
        var writer = new RecordingWriter();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(writer.WriteAsync, workers: 1, maxBatch: 64, kind: "write");

        var saves = await writer.WhileHeld(() => Enumerable.Range(0, 5).Select(i => queue.EnqueueAsync(Pending($"a{i}"), CancellationToken.None)).ToList());

        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], (await Task.WhenAll(saves)).Select(s => s.Result.AuditId));
        // Whatever the first batch took, the rest queued behind it and went together.
        Assert.Equal(5, writer.BatchSizes.Sum());
        Assert.InRange(writer.BatchSizes.Count, 1, 2);
    }

    [Fact]
    public async Task SaveAsync_WhileABatchIsUnderWay_AFewSavesWaitForCompany_AndGoTogether()
    {
        var writer = new RecordingWriter();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(
            writer.WriteAsync, workers: 2, maxBatch: 64, kind: "write", gather: 8, gatherDelay: TimeSpan.FromMilliseconds(300));

        var first = queue.EnqueueAsync(Pending("first"), CancellationToken.None);
        await writer.FirstStarted;
        var saves = new List<Task<SavedRevision>> { queue.EnqueueAsync(Pending("s1"), CancellationToken.None) };
        // The free worker could have taken s1 alone by now, and the others after the first batch.
        await Task.Delay(50);
        saves.AddRange(new[] { "s2", "s3" }.Select(id => queue.EnqueueAsync(Pending(id), CancellationToken.None)));
        writer.Release();
        await Task.WhenAll([first, .. saves]);

        Assert.Equal([1, 3], writer.BatchSizes);
    }

    [Fact]
    public async Task SaveAsync_WithNoBatchUnderWay_IsNotKeptWaitingForCompany()
    {
        var writer = new RecordingWriter();
        writer.Release();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(
            writer.WriteAsync, workers: 2, maxBatch: 64, kind: "write", gather: 8, gatherDelay: TimeSpan.FromSeconds(10));
        var took = System.Diagnostics.Stopwatch.StartNew();

        await queue.EnqueueAsync(Pending("alone"), CancellationToken.None);

        Assert.True(took.Elapsed < TimeSpan.FromSeconds(5), $"took {took.Elapsed}");
    }

    [Fact]
    public async Task Busy_WhileSavesAreQueuedOrUnderWay_AndNotAfter()
    {
        var writer = new RecordingWriter();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(writer.WriteAsync, workers: 1, maxBatch: 64, kind: "write");
        Assert.False(queue.Busy);

        var busyWhileHeld = false;
        var saves = await writer.WhileHeld(() =>
        {
            var queued = Enumerable.Range(0, 3).Select(i => queue.EnqueueAsync(Pending($"b{i}"), CancellationToken.None)).ToList();
            busyWhileHeld = queue.Busy;
            return queued;
        });
        await Task.WhenAll(saves);

        Assert.True(busyWhileHeld);
        Assert.False(queue.Busy);
    }

    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 1)]
    public async Task ReadGate_ReadsGoOneAtATime_OnlyWhileWritesWait(bool writesWaiting, int mostAtOnce)
    {
        var gate = new ReadGate(connections: 4, () => writesWaiting);
        var running = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => gate.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return now;
        }, CancellationToken.None)));

        Assert.Equal(mostAtOnce, most);
    }

    [Fact]
    public async Task ReadGate_WhileWritesWait_EachReadLeavesTheWayToThemForAsLongAsItTook()
    {
        // On a clock of the test's own: each read takes 3 ms of it, and the next may start only once 3 ms more have passed.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
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
            Assert.True(await CroydonAudit.FunctionalTests.Infrastructure.Eventually.HoldsAsync(() => Task.FromResult(reads.Count(r => r.IsCompleted) == next - 1), TimeSpan.FromSeconds(5)));
            clock.Advance(TimeSpan.FromMilliseconds(2));
            await Task.Delay(100);
            Assert.Equal(next - 1, Volatile.Read(ref started));
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await CroydonAudit.FunctionalTests.Infrastructure.Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref started) == next), TimeSpan.FromSeconds(5)), $"read {next} did not start once 3 ms had passed");
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

    [Fact]
    public async Task SaveAsync_OneAuditBreaksItsBatch_OnlyThatAuditFails()
    {
        var writer = new RecordingWriter { Poison = "bad" };
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(writer.WriteAsync, workers: 1, maxBatch: 64, kind: "write");

        var saves = await writer.WhileHeld(() => new[] { "first", "ok-1", "bad", "ok-2" }.Select(id => queue.EnqueueAsync(Pending(id), CancellationToken.None)).ToList());

        await Assert.ThrowsAsync<InvalidOperationException>(() => saves[2]);
        Assert.Equal(["first", "ok-1", "ok-2"], (await Task.WhenAll(saves[0], saves[1], saves[3])).Select(s => s.Result.AuditId));
        Assert.Contains(writer.BatchSizes, size => size > 1);
    }

    [Fact]
    public async Task SaveAsync_StoreUnavailable_FailsTheWholeBatchWithoutRetryingEachAudit()
    {
        var writer = new RecordingWriter { Unavailable = true };
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(writer.WriteAsync, workers: 1, maxBatch: 64, kind: "write");

        var saves = await writer.WhileHeld(() => new[] { "x", "y", "z" }.Select(id => queue.EnqueueAsync(Pending(id), CancellationToken.None)).ToList());

        foreach (var save in saves)
        {
            await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => save);
        }

        Assert.Equal(3, writer.BatchSizes.Sum());
        Assert.InRange(writer.BatchSizes.Count, 1, 2);
    }

    private static PendingRevision Pending(string auditId)
    {
        var submission = new AuditSubmission(auditId, "c", "a", "", null, [], Grade.Good, "", KeyEvidence.None, Safeguarding.None, "", "", "", [], []);
        var result = new GradingResult(auditId, 0, Grade.Good, Grade.Good, Grade.Good, Grade.Good, [], AuditStatus.Complete, false, false, [], [], "", "v", DateTimeOffset.UnixEpoch);
        return new PendingRevision(submission, result, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Stands in for the database: records batch sizes, and can hold the first batch so others queue behind it.</summary>
    private sealed class RecordingWriter
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> BatchSizes { get; } = [];

        public string? Poison { get; init; }

        public bool Unavailable { get; init; }

        public Task FirstStarted => _firstStarted.Task;

        public void Release() => _release.TrySetResult();

        public async Task<List<Task<SavedRevision>>> WhileHeld(Func<List<Task<SavedRevision>>> queueSaves)
        {
            var saves = queueSaves();
            await _firstStarted.Task;
            await Task.Delay(50);
            _release.SetResult();
            await Task.WhenAll(saves.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
            return saves;
        }

        public async Task<IReadOnlyList<SavedRevision>> WriteAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(batch.Count);
            }

            _firstStarted.TrySetResult();
            await _release.Task;
            if (Unavailable)
            {
                throw new AuditStoreUnavailableException(new TimeoutException());
            }

            if (batch.Any(p => p.Submission.AuditId == Poison))
            {
                throw new InvalidOperationException("A value the database refuses.");
            }

            return [.. batch.Select(p => new SavedRevision(p.Result with { Revision = 1 }, Created: true))];
        }
    }
}
