using CroydonAudit.Store.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CroydonAudit.Store.Tests;

/// <summary>Replicas starting together migrate one empty database safely, each script once; a role the service must not use is reported, not thrown.</summary>
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

    [Fact]
    public async Task HealthCheck_ARoleThatCouldEraseTheAccessLog_IsUnhealthy_SayingWhy()
    {
        using var database = new TestDatabase();
        // The tests' server's own user is a superuser: what a deployment must not connect as.
        await using var superuser = NpgsqlDataSource.Create(database.ConnectionString);
        var schema = new StoreSchema(superuser, new StoreOwner(null), Options.Create(new AuditStoreOptions()), NullLogger<StoreSchema>.Instance);
        var check = new AuditStoreHealthCheck(superuser, schema);

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        var again = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, HealthStatus.Unhealthy), (first.Status, again.Status));
        Assert.Contains("a superuser", again.Description, StringComparison.Ordinal);
        Assert.Null(again.Exception);
    }
}
