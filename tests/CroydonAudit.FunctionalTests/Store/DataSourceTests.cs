using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Store;
using CroydonAudit.Store.Schema;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>How the store's connections are set up.</summary>
public sealed class DataSourceTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private NpgsqlDataSource DataSource => host.Services.GetRequiredService<NpgsqlDataSource>();

    [Fact]
    public async Task Connections_PlanEachStatementForItsParameters()
    {
        // A generic plan, fixed while the tables were empty, kept scanning them whole as they grew.
        await using var command = DataSource.CreateCommand("SHOW plan_cache_mode");

        Assert.Equal("force_custom_plan", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task WritersAndCallersReads_NeverCompileQueries_TheLongReadsMay()
    {
        // Estimated against tables not yet analysed, GetAudit's batch passed jit_above_cost and was compiled on every
        // execution: 0.3-1 s a batch. The report's long reads keep PostgreSQL's default.
        await using var writers = DataSource.CreateCommand("SHOW jit");
        await using var reads = host.Services.GetRequiredService<StoreReads>().Interactive.CreateCommand("SHOW jit");
        await using var longReads = host.Services.GetRequiredService<StoreReads>().Bulk.CreateCommand("SHOW jit");

        Assert.Equal(("off", "off"), (await writers.ExecuteScalarAsync(), await reads.ExecuteScalarAsync()));
        Assert.Equal("on", await longReads.ExecuteScalarAsync());
    }

    [Fact]
    public void Connections_AreNotResetWhenReturnedToThePool()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(DataSource.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public async Task ConnectionReturnedMidTransaction_IsRolledBackAtOnce()
    {
        // The write path opens and commits its transaction by statements of its own: should it fail in between,
        // returning the connection must still roll back, reset or not.
        await host.Services.GetRequiredService<StoreSchema>().EnsureAsync(CancellationToken.None);
        var version = $"rolled-back-{Guid.NewGuid():N}";
        int backend;
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await using var begin = new NpgsqlCommand(
                "BEGIN; INSERT INTO rule_set_rule VALUES (@version, 0, 'base', 'a-rule', 'a-reference'); SELECT pg_backend_pid();", connection);
            begin.Parameters.AddWithValue("version", version);
            backend = (int)(await begin.ExecuteScalarAsync())!;
        }

        await using var observer = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(DataSource.ConnectionString) { Pooling = false }.ConnectionString);
        await observer.OpenAsync();
        await using var state = new NpgsqlCommand(
            "SELECT (SELECT state FROM pg_stat_activity WHERE pid = @backend), (SELECT count(*) FROM rule_set_rule WHERE rule_set_version = @version)", observer);
        state.Parameters.AddWithValue("backend", backend);
        state.Parameters.AddWithValue("version", version);
        await using var reader = await state.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("idle", reader.GetString(0));
        Assert.Equal(0, reader.GetInt64(1));
    }
}
