using CroydonAudit.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>How the store's connections are set up.</summary>
public sealed class DataSourceTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task Connections_PlanEachStatementForItsParameters()
    {
        // A generic plan, fixed while the tables were empty, kept scanning them whole as they grew.
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SHOW plan_cache_mode");

        Assert.Equal("force_custom_plan", await command.ExecuteScalarAsync());
    }
}
