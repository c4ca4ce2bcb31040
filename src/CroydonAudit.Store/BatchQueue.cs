using System.Threading.Channels;

namespace CroydonAudit.Store;

/// <summary>
/// Concurrent calls to the store queue here, and a few workers each take everything waiting (up to a batch)
/// and do it in one go: group commit for writes (many audits share one transaction's round trips and one
/// fsync), one statement for many reads. A batch that fails for a reason of its own content is retried item
/// by item, so one bad item never fails the others; a store that is down fails the whole batch, with
/// nothing written.
/// </summary>
internal sealed class BatchQueue<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _work;
    private readonly int _maxBatch;
    private readonly Task[] _workers;

    public BatchQueue(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> work, int workers, int maxBatch)
    {
        _work = work;
        _maxBatch = maxBatch;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkLoopAsync))];
    }

    /// <summary>Queues an item; completes when its batch is done (a write committed), or fails with the batch's error.</summary>
    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
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
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A caller that gave up while waiting (its deadline passed) is not worked for: it has its answer.
                if (pending.CallerGone.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.CallerGone);
                    continue;
                }

                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await RunAsync(batch);
                batch.Clear();
            }
        }
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

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion, CancellationToken CallerGone);
}
