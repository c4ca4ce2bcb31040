using CroydonAudit.Store.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CroydonAudit.Store.Tests;

/// <summary>Replicas starting together migrate one empty database safely: each script runs once.</summary>
public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task EnsureAsync_ManyReplicasAtOnce_MigrateOnce()
    {
        using var database = new TestDatabase();
        var replicas = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(database.ConnectionString)).ToList();

        await Task.WhenAll(replicas.Select(r => Task.Run(async () => await new StoreSchema(r, NullLogger<StoreSchema>.Instance).EnsureAsync(CancellationToken.None))));

        Assert.Equal(1, database.Count("SELECT count(*) FROM schema_history WHERE version = '1' AND success"));
        Assert.Equal(0, database.Count("SELECT count(*) FROM audit_revision"));
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
