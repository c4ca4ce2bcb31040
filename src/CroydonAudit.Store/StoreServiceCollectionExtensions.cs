using CroydonAudit.Store.Access;
using CroydonAudit.Store.Hosting;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Retention;
using CroydonAudit.Store.RuleSets;
using CroydonAudit.Store.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Telemetry;

namespace CroydonAudit.Store;

/// <summary>Wires the audit store: an NpgsqlDataSource for writes and smaller ones for reads (<see cref="StoreReads"/>), the schema, the resilience pipelines, the store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store, reading <c>ConnectionStrings:Audit</c> and the <c>Store</c> section; revisions stored with their
    /// answers are read back by <paramref name="answers"/> (the host knows the contract their answers are written in).
    /// </summary>
    public static IServiceCollection AddAuditStore(this IServiceCollection services, AnswerReader answers)
    {
        services.AddSingleton(answers);
        services.AddOptions<AuditStoreOptions>()
            .BindConfiguration(AuditStoreOptions.Section)
            .Validate(o => o.RetryAttempts >= 0 && o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, "Store: timeouts must be positive and the total at least one attempt.")
            .Validate(o => o.MaxBatchSize >= 1 && o.Writers >= 1 && o.ReadConnections >= 1 && o.BulkConnections >= 1 && o.GatherBatch >= 0, "Store: MaxBatchSize, Writers, ReadConnections and BulkConnections must be at least 1, and GatherBatch at least 0.")
            .Validate(o => o.ReadTimeout >= TimeSpan.FromMilliseconds(1), "Store: ReadTimeout must be at least a millisecond.")
            .ValidateOnStart();
        services.AddSingleton(sp => WithoutJit(Configured(sp)).Build());
        // The same database, through pools of their own for reads (StoreReads): callers' reads, stopped by
        // PostgreSQL at the read timeout, and the administrator's long reads.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditStoreOptions>>().Value;
            var interactive = WithoutJit(Configured(sp));
            Limit(interactive, options.ReadConnections);
            interactive.ConnectionStringBuilder.Options += $" -c statement_timeout={(long)options.ReadTimeout.TotalMilliseconds}";
            var bulk = Configured(sp);
            Limit(bulk, options.BulkConnections);
            return new ReadDataSources(interactive.Build(), bulk.Build());
        });
        services.AddResiliencePipeline(StoreResilience.ReadPipelineName, (builder, context) =>
            StoreResilience.ConfigureReads(builder, context.ServiceProvider.GetRequiredService<IOptions<AuditStoreOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var sources = sp.GetRequiredService<ReadDataSources>();
            return new StoreReads(sources.Interactive, sources.Bulk, sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(StoreResilience.ReadPipelineName));
        });
        services.AddSingleton(sp =>
        {
            var owner = sp.GetRequiredService<IConfiguration>().GetConnectionString(AuditStoreOptions.OwnerConnectionStringName);
            return new OwnerDataSource(string.IsNullOrWhiteSpace(owner)
                ? null
                : new NpgsqlDataSourceBuilder(owner) { ConnectionStringBuilder = { MaxPoolSize = 2, MinPoolSize = 0 } }.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>()).Build());
        });
        services.AddSingleton(sp => new StoreOwner(sp.GetRequiredService<OwnerDataSource>().DataSource));
        services.AddSingleton(sp => new StoreSchema(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<StoreOwner>(), sp.GetRequiredService<IOptions<AuditStoreOptions>>(), sp.GetRequiredService<ILogger<StoreSchema>>()));
        // Polly's telemetry would log each call's result — a stored audit, free text and all. It never does.
        services.Configure<TelemetryOptions>(options => options.ResultFormatter = static (_, _) => "(not logged)");
        services.AddResiliencePipeline(StoreResilience.PipelineName, (builder, context) =>
            StoreResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<AuditStoreOptions>>().Value));
        services.AddSingleton(sp => new AuditStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<StoreReads>(),
            sp.GetRequiredService<StoreSchema>(),
            Pipeline(sp),
            sp.GetRequiredService<IOptions<AuditStoreOptions>>().Value,
            answers,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RuleSetStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<StoreSchema>(),
            Pipeline(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AccessLog(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<StoreReads>(),
            sp.GetRequiredService<StoreSchema>(),
            Pipeline(sp),
            sp.GetRequiredService<ILogger<AccessLog>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Moderation.ModerationStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<StoreSchema>(),
            Pipeline(sp)));
        services.AddSingleton<Reporting.ReportStore>();
        services.AddSingleton(sp => new Sessions.PageSessionStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<StoreSchema>(),
            Pipeline(sp)));
        services.AddHostedService<StoreSchemaStartup>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Years is null or >= 1 && o.Interval > TimeSpan.Zero && o.BatchSize > 0, "Retention: Years at least 1 (or unset), Interval and BatchSize positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }

    private static ResiliencePipeline Pipeline(IServiceProvider services) =>
        services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(StoreResilience.PipelineName);

    private static NpgsqlDataSourceBuilder Configured(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(AuditStoreOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{AuditStoreOptions.ConnectionStringName} is not set. Set the environment variable ConnectionStrings__{AuditStoreOptions.ConnectionStringName}, or start the service with ./run.sh, which sets up a local database.");
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString).UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The store runs the same few statements over and over: let PostgreSQL parse them once per connection.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        // Plan each execution for its own parameters: a generic plan, chosen against a new, empty database, kept the lookup
        // of stored content hashes a sequential scan as the table grew (benchmarks/README.md). The store's own batches
        // plan once, by index, where they say so (AuditStore.PlanOnce).
        SetUnlessGiven(builder, "plan_cache_mode", "force_custom_plan");

        // No reset when a connection goes back to the pool: the store leaves nothing in a session (SET LOCAL,
        // transaction-scoped locks; Npgsql still rolls back an open transaction), and resetting cost (benchmarks/README.md).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder;
    }

    // No JIT for short statements: before autovacuum's first statistics, GetAudit's batch was estimated past
    // jit_above_cost and compiled on every run, far slower than running it (benchmarks/README.md). Long reads keep it.
    private static NpgsqlDataSourceBuilder WithoutJit(NpgsqlDataSourceBuilder builder)
    {
        SetUnlessGiven(builder, "jit", "off");
        return builder;
    }

    // A PostgreSQL setting for every connection of the pool, unless the connection string's Options give it already.
    private static void SetUnlessGiven(NpgsqlDataSourceBuilder builder, string setting, string value)
    {
        if (builder.ConnectionStringBuilder.Options?.Contains(setting, StringComparison.Ordinal) != true)
        {
            builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c {setting}={value}".TrimStart();
        }
    }

    private static void Limit(NpgsqlDataSourceBuilder builder, int connections)
    {
        builder.ConnectionStringBuilder.MaxPoolSize = connections;
        builder.ConnectionStringBuilder.MinPoolSize = Math.Min(builder.ConnectionStringBuilder.MinPoolSize, connections);
    }

    /// <summary>The owner's pool, disposed with the container.</summary>
    private sealed record OwnerDataSource(NpgsqlDataSource? DataSource) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => DataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>The read pools, disposed with the container.</summary>
    private sealed record ReadDataSources(NpgsqlDataSource Interactive, NpgsqlDataSource Bulk) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Interactive.DisposeAsync();
            await Bulk.DisposeAsync();
        }
    }

    /// <summary>Migrates at start-up without holding the service back: PreviewGrade needs no database.</summary>
    private sealed class StoreSchemaStartup(StoreSchema schema, TimeProvider clock, ILogger<StoreSchema> logger) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            SupervisedLoop.RunAsync("bringing the store's schema up to date", MigrateAsync, logger, clock, stoppingToken);

        private async Task MigrateAsync(CancellationToken stoppingToken)
        {
            for (var delay = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30)))
            {
                try
                {
                    await schema.EnsureAsync(stoppingToken);
                    return;
                }
                catch (StoreRoleRefusedException e)
                {
                    logger.LogCritical("The audit store will not be used: {Why}", e.Message);
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or EvolveDb.EvolveException)
                {
                    logger.LogWarning(e, "The audit store's schema could not be brought up to date yet; retrying in {Delay}", delay);
                    await Task.Delay(delay, clock, stoppingToken);
                }
            }
        }
    }
}
