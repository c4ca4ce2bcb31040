using System.Threading.Channels;

namespace CroydonAudit.Store;

/// <summary>
/// Group commit: concurrent saves queue here, and a few writers each take everything waiting (up to
/// a batch) and store it in one transaction, so many audits share one round of statements and one
/// fsync. A batch that fails for a reason of its own content is retried audit by audit, so one bad
/// audit never fails the others; a store that is down fails the whole batch, with nothing written.
/// </summary>
internal sealed class GroupCommitQueue : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Func<IReadOnlyList<PendingRevision>, CancellationToken, Task<IReadOnlyList<SavedRevision>>> _write;
    private readonly int _maxBatch;
    private readonly Task[] _writers;

    public GroupCommitQueue(Func<IReadOnlyList<PendingRevision>, CancellationToken, Task<IReadOnlyList<SavedRevision>>> write, int writers, int maxBatch)
    {
        _write = write;
        _maxBatch = maxBatch;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Queues a save; completes when its batch is committed, or fails with the batch's error.</summary>
    public Task<SavedRevision> SaveAsync(PendingRevision revision, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(revision, new TaskCompletionSource<SavedRevision>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            // Shutting down: nothing was stored, and another replica (or this one, restarted) can take the retry.
            throw new AuditStoreUnavailableException(new ObjectDisposedException(nameof(AuditStore), "The audit store is shutting down."));
        }

        // A caller that gives up stops waiting; once its batch is being written, its write may still commit, which a
        // retry then finds (saves are idempotent).
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking saves and finishes the ones queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A caller that gave up while waiting (its deadline passed) is not written for: it has its answer.
                if (pending.CallerGone.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.CallerGone);
                    continue;
                }

                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var saved = await _write([.. batch.Select(p => p.Revision)], CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(saved[i]);
            }
        }
        catch (Exception e) when (e is not AuditStoreUnavailableException && batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                await WriteAsync([pending]);
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

    private sealed record Pending(PendingRevision Revision, TaskCompletionSource<SavedRevision> Completion, CancellationToken CallerGone);
}
