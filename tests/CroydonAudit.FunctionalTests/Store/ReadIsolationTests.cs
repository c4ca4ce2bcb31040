using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// Callers' reads cannot hold the store for long: PostgreSQL stops one that runs past the read timeout
/// (Store:ReadTimeout, statement_timeout on the read pool), and the caller is told so in words about its own
/// method, while the rules administrator's long reads (an impact preview's stream, on a pool of their own) are not
/// cut short, and writes carry on once the database is free.
/// </summary>
public sealed class ReadIsolationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private RulesHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string> { ["Store:ReadTimeout"] = "00:00:00.300" });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AReadHeldPastTheReadTimeout_IsStoppedAndSaysSo_WhileAnImpactPreviewWaitsItsTurn()
    {
        for (var i = 0; i < 5; i++)
        {
            await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = $"isolated-{i}") });
        }

        // Another session holds the revisions table for a second and a half: every read of it waits.
        await using var blocker = new NpgsqlConnection(_database.ConnectionString);
        await blocker.OpenAsync();
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            await new NpgsqlCommand("LOCK TABLE audit_revision IN ACCESS EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync();
            var preview = _host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { RuleFiles.Of(RepositoryRoot.FixtureRules) } }).ResponseAsync;
            var listing = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.ListAuditsAsync(new()));

            Assert.Equal(StatusCode.Unavailable, listing.StatusCode);
            Assert.Contains("took too long to answer ListAudits", listing.Status.Detail, StringComparison.Ordinal);
            Assert.False(preview.IsCompleted);
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            await transaction.CommitAsync();

            Assert.Equal(5, (await preview).Report.Compared);
        }

        // PostgreSQL stopped the listing itself: nothing of it is left running; reads and writes go on.
        Assert.Equal(0, _database.Count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND backend_type = 'client backend' AND query LIKE '%audit_revision%' AND pid <> pg_backend_pid()"));
        Assert.Equal(5, (await _host.Client.ListAuditsAsync(new())).Audits.Count);
        await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "isolated-after") });
    }
}
