using CroydonAudit.Grading.Domain;
using CroydonAudit.Store;
using Microsoft.Extensions.Time.Testing;

namespace CroydonAudit.Store.Tests;

/// <summary>
/// Group commit in isolation, with the database replaced by a recording writer and time by a clock of the test's own:
/// saves waiting together share one batch; a batch failing for one audit's content is retried audit by audit; an
/// unavailable store fails the whole batch; the queue says when saves are waiting.
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
        Assert.Equal(5, writer.Sizes.Sum());
        Assert.InRange(writer.Sizes.Count, 1, 2);
    }

    [Fact]
    public async Task SaveAsync_WhileABatchIsUnderWay_AFewSavesWaitForCompany_AndGoTogether()
    {
        var clock = new WatchedClock();
        var writer = new RecordingWriter();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(
            writer.WriteAsync, workers: 2, maxBatch: 64, kind: "write", gather: 8, gatherDelay: TimeSpan.FromMilliseconds(1), clock);

        var first = queue.EnqueueAsync(Pending("first"), CancellationToken.None);
        var saves = new List<Task<SavedRevision>>();
        // Released however the test ends: a held batch would keep the queue from being disposed.
        try
        {
            await writer.FirstStarted;
            // The free worker could take s1 alone at once; it waits for company instead, on a clock that does not move.
            saves.Add(queue.EnqueueAsync(Pending("s1"), CancellationToken.None));
            await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal([1], writer.Sizes);
            saves.AddRange(new[] { "s2", "s3" }.Select(id => queue.EnqueueAsync(Pending(id), CancellationToken.None)));

            // Its moment passes (again, should the worker not yet have started waiting when the clock first moved).
            Assert.True(await Eventually.HoldsAsync(() =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
                return Task.FromResult(writer.Sizes.Count == 2);
            }, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            writer.Release();
        }

        await Task.WhenAll([first, .. saves]);
        Assert.Equal([1, 3], writer.Sizes);
    }

    [Fact]
    public async Task SaveAsync_WithNoBatchUnderWay_IsNotKeptWaitingForCompany()
    {
        // The clock does not move: a save that waited for company would not be stored.
        var clock = new FakeTimeProvider();
        var writer = new RecordingWriter();
        writer.Release();
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(
            writer.WriteAsync, workers: 2, maxBatch: 64, kind: "write", gather: 8, gatherDelay: TimeSpan.FromMilliseconds(1), clock);

        SavedRevision saved;
        try
        {
            saved = await queue.EnqueueAsync(Pending("alone"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            // Should it have waited, the wait ends, so the queue can be disposed.
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("alone", saved.Result.AuditId);
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

    [Fact]
    public async Task SaveAsync_OneAuditBreaksItsBatch_OnlyThatAuditFails()
    {
        var writer = new RecordingWriter { Poison = "bad" };
        await using var queue = new BatchQueue<PendingRevision, SavedRevision>(writer.WriteAsync, workers: 1, maxBatch: 64, kind: "write");

        var saves = await writer.WhileHeld(() => new[] { "first", "ok-1", "bad", "ok-2" }.Select(id => queue.EnqueueAsync(Pending(id), CancellationToken.None)).ToList());

        await Assert.ThrowsAsync<InvalidOperationException>(() => saves[2]);
        Assert.Equal(["first", "ok-1", "ok-2"], (await Task.WhenAll(saves[0], saves[1], saves[3])).Select(s => s.Result.AuditId));
        Assert.Contains(writer.Sizes, size => size > 1);
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

        Assert.Equal(3, writer.Sizes.Sum());
        Assert.InRange(writer.Sizes.Count, 1, 2);
    }

    private static PendingRevision Pending(string auditId)
    {
        var submission = new AuditSubmission(auditId, "c", "a", "", null, [], Grade.Good, "", KeyEvidence.None, Safeguarding.None, "", "", "", [], []);
        var result = new GradingResult(auditId, 0, Grade.Good, Grade.Good, Grade.Good, Grade.Good, [], AuditStatus.Complete, false, false, [], [], "", "v", DateTimeOffset.UnixEpoch);
        return new PendingRevision(submission, result, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Stands in for the database: records batch sizes, and can hold the first batch so others queue behind it.</summary>
    // A clock that says when someone first waits on it: the free worker has then begun waiting for company.
    private sealed class WatchedClock : FakeTimeProvider
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }

    private sealed class RecordingWriter
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly List<int> _sizes = [];

        /// <summary>The size of each batch begun, in order.</summary>
        public IReadOnlyList<int> Sizes
        {
            get
            {
                lock (_sizes)
                {
                    return [.. _sizes];
                }
            }
        }

        public string? Poison { get; init; }

        public bool Unavailable { get; init; }

        public Task FirstStarted => _firstStarted.Task;

        public void Release() => _release.TrySetResult();

        public async Task<List<Task<SavedRevision>>> WhileHeld(Func<List<Task<SavedRevision>>> queueSaves)
        {
            var saves = queueSaves();
            // Every save is queued by now: whatever the first batch took, the rest wait behind it.
            await _firstStarted.Task;
            _release.SetResult();
            await Task.WhenAll(saves.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
            return saves;
        }

        public async Task<IReadOnlyList<SavedRevision>> WriteAsync(IReadOnlyList<PendingRevision> batch, CancellationToken cancellationToken)
        {
            lock (_sizes)
            {
                _sizes.Add(batch.Count);
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
