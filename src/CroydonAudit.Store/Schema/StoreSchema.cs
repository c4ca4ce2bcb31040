using EvolveDb;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CroydonAudit.Store.Schema;

/// <summary>
/// Brings the database's schema up to date with the SQL scripts in Migrations/, once per process.
/// Evolve takes a PostgreSQL advisory lock while it migrates, so replicas starting together are safe.
/// </summary>
public sealed class StoreSchema(NpgsqlDataSource dataSource, ILogger<StoreSchema> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    /// <summary>Migrates if this process has not yet; cheap once done.</summary>
    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                Migrate(connection);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Migrate(NpgsqlConnection connection)
    {
        var evolve = new Evolve(connection, message => logger.LogDebug("{Migration}", message))
        {
            EmbeddedResourceAssemblies = [typeof(StoreSchema).Assembly],
            EmbeddedResourceFilters = ["CroydonAudit.Store.Migrations"],
            IsEraseDisabled = true,
            EnableClusterMode = true,
            MetadataTableName = "schema_history",
        };
        evolve.Migrate();
        if (evolve.NbMigration > 0)
        {
            logger.LogInformation("Applied {Count} store migrations: {Migrations}", evolve.NbMigration, string.Join(", ", evolve.AppliedMigrations));
        }
    }
}
