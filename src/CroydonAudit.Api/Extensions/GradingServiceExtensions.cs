using CroydonAudit.Api.Infrastructure;
using CroydonAudit.Api.Rules;
using CroydonAudit.Api.Services;
using CroydonAudit.RuleSets.Activation;
using CroydonAudit.RuleSets.Regrading;
using CroydonAudit.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ZLogger;

namespace CroydonAudit.Api.Extensions;

/// <summary>Wires the gRPC host: options, the rule set, the grader, the store, gRPC with health and reflection.</summary>
public static class GradingServiceExtensions
{
    /// <summary>Where the service listens unless ASPNETCORE_URLS or --urls says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Adds everything the grading service needs.</summary>
    public static WebApplicationBuilder AddGradingService(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Log lines go to standard output in batches, from one background loop (ZLogger). The console logger
        // wrote each line by itself and woke its thread for it: a tenth of the service's CPU at thousands of
        // graded audits a second, each of which logs one event.
        builder.Logging.ClearProviders().AddZLoggerConsole(options => options.UsePlainTextFormatter(formatter =>
            formatter.SetPrefixFormatter(
                $"{0:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {1:short} {2}: ",
                (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp.Utc, info.LogLevel, info.Category))));

        builder.Services.AddOptions<GradingOptions>()
            .BindConfiguration(GradingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RulesPath), "Grading:RulesPath must name the rules folder.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAuditStore();
        builder.Services.AddSingleton<ActiveRuleSet>();
        builder.Services.AddSingleton<RuleSetActivator>();
        builder.Services.AddSingleton<RuleSetCoordinator>();
        builder.Services.AddSingleton<AuditRegrader>();
        builder.Services.AddHostedService<ActiveRuleSetFollower>();
        builder.Services.AddHostedService<RulesFolderWatcher>();

        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
        });
        builder.Services.AddGrpcReflection();
        // Check answers from the status published every second, so a probe costs next to nothing and
        // the service's ceiling is measured by it; NOT_SERVING follows an outage within about a second.
        builder.Services.AddGrpcHealthChecks(options => options.UseHealthChecksCache = true)
            .AddCheck<RuleSetHealthCheck>("rules")
            .AddCheck<AuditStoreHealthCheck>("store");
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    /// <summary>
    /// Loads the rule set to grade by before the service serves (see <see cref="RuleSetCoordinator"/> for which
    /// source wins). False when no rule set can be used: the report has been written, and the service must not start.
    /// </summary>
    public static async Task<bool> LoadRulesAsync(this WebApplication app)
    {
        // A missing connection string stops start-up here, with its message.
        app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        if (await app.Services.GetRequiredService<RuleSetCoordinator>().StartAsync(app.Lifetime.ApplicationStopping))
        {
            return true;
        }

        // Log lines are written in the background: disposing the host writes out the ones still queued.
        await app.DisposeAsync();
        return false;
    }

    /// <summary>Maps the grading service, health and reflection.</summary>
    public static WebApplication MapGradingService(this WebApplication app)
    {
        app.MapGrpcService<AuditGradingService>();
        app.MapGrpcService<RuleSetLifecycleService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
