using System.Diagnostics;

namespace CroydonAudit.Store;

/// <summary>
/// Writes first. A caller's read runs at once, up to as many at a time as the read pool has connections, unless
/// audits are waiting to be written: then reads go one at a time, and each leaves the way to the writes for as long as
/// it took, so that however many callers are reading, most of a small machine's CPU (the service's and PostgreSQL's)
/// goes to storing what case recording systems send. A store that only reads keeps its full read concurrency.
/// </summary>
internal sealed class ReadGate(int connections, Func<bool> writesWaiting, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    // The longest a read beside writes holds back the next: a slow read (a report's page, a cold cache) is not
    // made to wait for as long again.
    private const double LongestPauseMilliseconds = 5;

    private readonly SemaphoreSlim _reads = new(connections, connections);
    private readonly SemaphoreSlim _besideWrites = new(1, 1);

    public async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        await _reads.WaitAsync(cancellationToken);
        long? besideWritesSince = null;
        try
        {
            if (writesWaiting())
            {
                await _besideWrites.WaitAsync(cancellationToken);
                besideWritesSince = _clock.GetTimestamp();
            }

            return await read(cancellationToken);
        }
        finally
        {
            if (besideWritesSince is { } since)
            {
                LeaveToWrites(_clock.GetElapsedTime(since));
            }

            _reads.Release();
        }
    }

    // The next read beside writes may start once the writes have had as long as this one took (at once, if they are
    // done). Timers count whole milliseconds: a read of less than one leaves them one.
    private void LeaveToWrites(TimeSpan took)
    {
        if (!writesWaiting())
        {
            _besideWrites.Release();
            return;
        }

        _ = Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(Math.Min(took.TotalMilliseconds, LongestPauseMilliseconds))), _clock).ContinueWith(static (_, gate) => ((SemaphoreSlim)gate!).Release(), _besideWrites, TaskScheduler.Default);
    }
}
