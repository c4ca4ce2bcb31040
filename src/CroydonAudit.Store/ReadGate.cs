namespace CroydonAudit.Store;

/// <summary>
/// Writes first. A caller's read runs at once, up to as many at a time as the read pool has connections, unless
/// audits are waiting to be written: then reads go one at a time, so that however many callers are reading, the
/// CPU of a small machine (the service's and PostgreSQL's) goes first to storing what case recording systems send.
/// A store that only reads keeps its full read concurrency.
/// </summary>
internal sealed class ReadGate(int connections, Func<bool> writesWaiting)
{
    private readonly SemaphoreSlim _reads = new(connections, connections);
    private readonly SemaphoreSlim _besideWrites = new(1, 1);

    public async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        await _reads.WaitAsync(cancellationToken);
        var yielding = false;
        try
        {
            if (writesWaiting())
            {
                await _besideWrites.WaitAsync(cancellationToken);
                yielding = true;
            }

            return await read(cancellationToken);
        }
        finally
        {
            if (yielding)
            {
                _besideWrites.Release();
            }

            _reads.Release();
        }
    }
}
