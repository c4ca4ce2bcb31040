using CroydonAudit.Store.Access;

namespace CroydonAudit.Store.Tests;

/// <summary>The access log's batches on a real PostgreSQL: records from concurrent calls stored together, a bad one failing alone.</summary>
public sealed class AccessLogTests : IAsyncLifetime
{
    private readonly StoreHost _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task RecordAsync_ARecordTheDatabaseRefuses_FailsAlone_AndTheOthersAreStored()
    {
        var log = _store.Get<AccessLog>();
        // PostgreSQL's text cannot hold a NUL character: that record's insert is refused, whatever batch it is in.
        var records = Enumerable.Range(0, 40).Select(i => new AccessRecord($"auditor-{i}", "case-system", ["auditor"], "GetAudit", "read", $"audit-{i}", Reason: i == 17 ? "bad\0reason" : null)).ToList();

        var recorded = records.Select(r => log.RecordAsync(r, CancellationToken.None)).ToList();
        await Task.WhenAll(recorded.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal([17], recorded.Select((r, i) => (r, i)).Where(x => x.r.IsFaulted).Select(x => x.i));
        Assert.Equal(39, _store.Database.Count("SELECT count(*) FROM access_record WHERE method = 'GetAudit'"));
        Assert.Equal(0, _store.Database.Count("SELECT count(*) FROM access_record WHERE subject = 'auditor-17'"));
    }

    [Fact]
    public async Task ListAsync_FindsAnAuditsRecords_NewestFirst()
    {
        var log = _store.Get<AccessLog>();
        foreach (var who in new[] { "first", "second", "third" })
        {
            await log.RecordAsync(new AccessRecord(who, "pages", ["moderator"], "GetAudit", "read", "watched"), CancellationToken.None);
        }

        await log.RecordAsync(new AccessRecord("other", "pages", ["moderator"], "GetAudit", "read", "elsewhere"), CancellationToken.None);

        var (records, next) = await log.ListAsync("watched", null, null, null, pageSize: 2, beforeId: null, CancellationToken.None);
        var (rest, end) = await log.ListAsync("watched", null, null, null, pageSize: 2, beforeId: next, CancellationToken.None);

        Assert.Equal(["third", "second", "first"], records.Concat(rest).Select(r => r.Subject));
        Assert.Null(end);
    }
}
