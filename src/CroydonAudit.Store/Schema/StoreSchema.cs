using EvolveDb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CroydonAudit.Store.Schema;

/// <summary>
/// Brings the database's schema up to date with the SQL scripts in Migrations/, once per process, as the tables'
/// owner (<see cref="StoreOwner"/>); then checks that the service's own connections are not the owner's or a
/// superuser's (<see cref="StoreRoleRefusedException"/>), unless <see cref="AuditStoreOptions.AllowPrivilegedRole"/>.
/// Evolve takes a PostgreSQL advisory lock while it migrates, so replicas starting together are safe.
/// </summary>
public sealed class StoreSchema(NpgsqlDataSource dataSource, StoreOwner owner, IOptions<AuditStoreOptions> options, ILogger<StoreSchema> logger)
{
    private const string RuntimeRole = """
        SELECT current_user, r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE')
        FROM pg_roles AS r, pg_class AS c
        WHERE r.rolname = current_user AND c.oid = 'audit_revision'::regclass
        """;

    /// <summary>A database of one role, which migrates it and uses it (tools and tests of the store alone).</summary>
    public StoreSchema(NpgsqlDataSource dataSource, ILogger<StoreSchema> logger)
        : this(dataSource, new StoreOwner(null), Options.Create(new AuditStoreOptions { AllowPrivilegedRole = true }), logger)
    {
    }

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;
    private bool _migrated;

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
                // Migrated once; a refused role is checked again on each call (a health check's), not migrated again.
                if (!_migrated)
                {
                    await using var connection = await (owner.DataSource ?? dataSource).OpenConnectionAsync(cancellationToken);
                    Migrate(connection);
                    _migrated = true;
                }

                await CheckRuntimeRoleAsync(cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // The service's role must not be able to change the schema, the triggers that keep the access log, or the
    // replication role that would skip them: neither a superuser nor (a member of) the tables' owner.
    private async Task CheckRuntimeRoleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(RuntimeRole, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (user, superuser, owns) = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
        if ((superuser || owns) && !options.Value.AllowPrivilegedRole)
        {
            throw new StoreRoleRefusedException(
                $"The service connects to PostgreSQL as \"{user}\", {(superuser ? "a superuser" : "the owner of its tables")}, which could change or erase the access log. " +
                $"Connect as a role granted only what the service uses (a member of croydon_audit_runtime) with ConnectionStrings__{AuditStoreOptions.ConnectionStringName}, " +
                $"and give the owner's to ConnectionStrings__{AuditStoreOptions.OwnerConnectionStringName}, used only to migrate (README: \"Who may call\").");
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

/// <summary>The tables' owner's connections, used only to migrate; null when the service's own are used (local mode).</summary>
public sealed record StoreOwner(NpgsqlDataSource? DataSource);

/// <summary>The service's database role may do more than the service needs: it must not run as it (<see cref="StoreSchema"/>).</summary>
public sealed class StoreRoleRefusedException(string message) : Exception(message);
