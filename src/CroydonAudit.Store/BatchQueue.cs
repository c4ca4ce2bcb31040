using System.Diagnostics;
using System.Threading.Channels;
using CroydonAudit.Store.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CroydonAudit.Store;

/// <summary>
/// Concurrent calls to the store queue here, and a few workers each take everything waiting (up to a batch)
/// and do it in one go: group commit for writes (many audits share one transaction's round trips and one
/// fsync; a small batch waits a moment for company while another is under way), one statement for many reads. A batch that fails for a reason of its own content is retried item
/// by item, so one bad item never fails the others; a store that is down fails the whole batch, with
/// nothing written.
/// </summary>
internal sealed partial class BatchQueue<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _work;
    private readonly int _maxBatch;
    private readonly string _kind;
    private readonly Task[] _workers;
    private readonly int _gather;
    private readonly TimeSpan _gatherDelay;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private int _pending;
    private int _running;

    /// <param name="work">Does one batch.</param>
    /// <param name="workers">How many batches may run at once.</param>
    /// <param name="maxBatch">The most items in one batch.</param>
    /// <param name="kind">What a batch is ("write", "read"), for its span and metrics (<see cref="StoreTelemetry"/>).</param>
    /// <param name="gather">
    /// While another batch is under way and fewer than this many items wait, a free worker waits a millisecond for
    /// more before it starts (<see cref="AuditStoreOptions.GatherBatch"/>); 0: it starts at once.
    /// </param>
    /// <param name="gatherDelay">How long it waits then (a millisecond unless given).</param>
    /// <param name="clock">The clock that wait is timed by.</param>
    /// <param name="logger">Where a worker's unexpected failure is logged, as a bug, before it starts again.</param>
    public BatchQueue(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> work, int workers, int maxBatch, string kind, int gather = 0, TimeSpan? gatherDelay = null,
        TimeProvider? clock = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _work = work;
        _maxBatch = maxBatch;
        _gather = gather;
        _gatherDelay = gatherDelay ?? TimeSpan.FromMilliseconds(1);
        _kind = kind;
        // The workers belong to no call: whichever call first touched the store must not become every batch's parent span.
        using (ExecutionContext.SuppressFlow())
        {
            _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => SupervisedLoop.RunAsync($"a worker of the store's {kind} batches", _ => WorkLoopAsync(), _logger, _clock, CancellationToken.None)))];
        }
    }

    /// <summary>True while any item is queued or in a batch under way.</summary>
    public bool Busy => Volatile.Read(ref _pending) > 0;

    /// <summary>Queues an item; completes when its batch is done (a write committed), or fails with the batch's error.</summary>
    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken, Activity.Current?.Context);
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _pending);
            // Shutting down: nothing was stored, and another replica (or this one, restarted) can take the retry.
            throw new AuditStoreUnavailableException(new ObjectDisposedException(nameof(AuditStore), "The audit store is shutting down."));
        }

        // A caller that gives up stops waiting; once its batch is under way, a write may still commit, which a
        // retry then finds (saves are idempotent).
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking saves and finishes the ones queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    private async Task WorkLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Company for a small batch, only while another is under way: the items would otherwise each pay for a
            // batch of their own, and the batch under way is keeping the database busy meanwhile.
            if (_gather > 0 && Volatile.Read(ref _running) > 0 && _queue.Reader.Count < _gather)
            {
                await Task.Delay(_gatherDelay, _clock);
            }

            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A caller that gave up while waiting (its deadline passed) is not worked for: it has its answer.
                if (pending.CallerGone.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.CallerGone);
                    Interlocked.Decrement(ref _pending);
                    continue;
                }

                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                Interlocked.Increment(ref _running);
                try
                {
                    await RunTracedAsync(batch);
                }
                catch (Exception e)
                {
                    // RunAsync answers every item; only the span or the metrics could fail here. No caller is left
                    // waiting, and the worker goes on with the next batch.
                    LogBatchFailed(_logger, e, _kind);
                    batch.ForEach(p => p.Completion.TrySetException(e));
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                    Interlocked.Add(ref _pending, -batch.Count);
                    batch.Clear();
                }
            }
        }
    }

    // A span for the batch, linked to the span of each call it serves (one batch serves many calls, so it is no
    // call's child), and the batch's size and time.
    private async Task RunTracedAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using (var span = StoreTelemetry.Source.HasListeners() ? StartSpan(batch) : null)
        {
            await RunAsync(batch);
        }

        StoreTelemetry.RecordBatch(_kind, batch.Count, Stopwatch.GetElapsedTime(started));
    }

    private Activity? StartSpan(List<Pending> batch)
    {
        var links = batch.Where(p => p.Caller is not null).Select(p => new ActivityLink(p.Caller!.Value)).ToList();
        var span = StoreTelemetry.Source.StartActivity($"store {_kind} batch", ActivityKind.Internal, parentContext: default, links: links);
        span?.SetTag("croydon.audit.batch.size", batch.Count);
        return span;
    }

    private async Task RunAsync(List<Pending> batch)
    {
        try
        {
            var done = await _work([.. batch.Select(p => p.Item)], CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(done[i]);
            }
        }
        catch (Exception e) when (e is not AuditStoreUnavailableException && batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                await RunAsync([pending]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "A bug: a store {Kind} batch failed outside its work (its span or metrics); its callers were answered")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string kind);

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion, CancellationToken CallerGone, ActivityContext? Caller);
}
