using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Tests;

/// <summary>The store's own SQL on a real PostgreSQL: what is saved is read back as saved, once, and listed page by page.</summary>
public sealed class AuditStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly StoreHost _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task SaveAsync_ThenGetAsync_ReadsTheRevisionBackAsSaved()
    {
        var store = _store.Get<AuditStore>();

        var saved = await store.SaveAsync(_store.Revision("kept", "east", Monday, Grade.RequiresImprovement, learning: "Record the carer's view."), CancellationToken.None);
        var read = await store.GetAsync("kept", 0, CancellationToken.None);

        Assert.Equal((true, 1), (saved.Created, saved.Result.Revision));
        Assert.NotNull(read);
        Assert.Equal((1, "east", "Record the carer's view.", Grade.RequiresImprovement), (read.Revision, read.Submission.Team, read.Submission.Learning, read.Result.OverallGrade));
        Assert.Equal(Monday, read.ReceivedAt);
        Assert.Null(await store.GetAsync("never-saved", 0, CancellationToken.None));
        Assert.Null(await store.GetAsync("kept", 2, CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_TheSameContentAgain_IsNoNewRevision_AndChangedContentIsTheNext()
    {
        var store = _store.Get<AuditStore>();

        await store.SaveAsync(_store.Revision("twice", "east", Monday), CancellationToken.None);
        var again = await store.SaveAsync(_store.Revision("twice", "east", Monday.AddMinutes(5)), CancellationToken.None);
        var changed = await store.SaveAsync(_store.Revision("twice", "east", Monday.AddMinutes(9), learning: "Changed."), CancellationToken.None);

        Assert.Equal((false, 1), (again.Created, again.Result.Revision));
        Assert.Equal((true, 2), (changed.Created, changed.Result.Revision));
        Assert.Equal("", (await store.GetAsync("twice", 1, CancellationToken.None))!.Submission.Learning);
        Assert.Equal("Changed.", (await store.GetAsync("twice", 0, CancellationToken.None))!.Submission.Learning);
        Assert.Equal(2, _store.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'twice'"));
    }

    [Fact]
    public async Task ListAsync_PagesThroughATeamsAudits_NewestFirst_EachOnce()
    {
        var store = _store.Get<AuditStore>();
        var saves = Enumerable.Range(0, 7).Select(i => _store.Revision($"listed-{i}", i < 5 ? "north" : "south", Monday.AddHours(i)));
        await Task.WhenAll(saves.Select(s => store.SaveAsync(s, CancellationToken.None)));

        var listed = new List<string>();
        AuditPageToken? after = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new AuditListQuery("north", null, Grade.Unspecified, null, null, PageSize: 2, after), CancellationToken.None);
            listed.AddRange(page.Audits.Select(a => a.AuditId));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(["listed-4", "listed-3", "listed-2", "listed-1", "listed-0"], listed);
        Assert.Equal(3, pages);
    }
}
