using CroydonAudit.Store.Contracts;
using CroydonAudit.Api.Infrastructure;
using CroydonAudit.Api.Infrastructure.Grpc;
using CroydonAudit.Api.Infrastructure.Rest;
using CroydonAudit.Api.Infrastructure.Telemetry;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Rules;
using CroydonAudit.Api.Security;
using CroydonAudit.Api.Services;
using CroydonAudit.Contracts.Mapping;
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
    /// <summary>The grpc.health.v1 service name a liveness probe asks for: SERVING while the process answers at all.</summary>
    public const string LivenessService = "liveness";

    /// <summary>The largest request or response of GradingService, health and reflection.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>The largest request or response of RuleSetService: a rule set's files and their envelope.</summary>
    public const int MaxRuleSetMessageBytes = Grading.Rules.RuleSetFiles.MaxTotalBytes + (1024 * 1024);

    /// <summary>Adds everything the grading service needs.</summary>
    public static WebApplicationBuilder AddGradingService(this WebApplicationBuilder builder)
    {
        ServiceEndpoints.Configure(builder);
        builder.Services.AddServicePages();

        builder.AddServiceLogging();
        builder.Services.AddOptions<GradingOptions>()
            .BindConfiguration(GradingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RulesPath), "Grading:RulesPath must name the rules folder.")
            .ValidateOnStart();
        builder.Services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section);
        builder.Services.AddOptions<LimitOptions>().BindConfiguration(LimitOptions.Section)
            .Validate(o => o.RequestMemoryBytes > 0, "Limits:RequestMemoryBytes must be positive.")
            .ValidateOnStart();
        builder.AddCallerSecurity();
        // One developer's cluster has one user, the tables' owner: only local mode may run as it.
        builder.Services.AddOptions<AuditStoreOptions>().PostConfigure<IOptions<AuthOptions>>((store, auth) => store.AllowPrivilegedRole |= auth.Value.IsLocal);
        builder.AddBrowserProtection();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CallRefusals>();
        builder.Services.AddSingleton<AccessRecorder>();
        builder.Services.AddSingleton<AuditListing>();
        builder.Services.AddAuditStore(RecordMapping.Documents);
        builder.Services.AddSingleton<ActiveRuleSet>();
        builder.Services.AddSingleton(services => new RuleSetActivator(
            services.GetRequiredService<CroydonAudit.Store.RuleSets.RuleSetStore>(),
            services.GetRequiredService<IOptions<GradingOptions>>().Value.EvaluationBudgetSteps,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<RuleSetCoordinator>();
        builder.Services.AddSingleton<AuditRegrader>();
        builder.Services.AddSingleton<Services.TeamNames>();
        builder.Services.AddHostedService<ActiveRuleSetFollower>();
        builder.Services.AddHostedService<RulesFolderWatcher>();
        builder.AddGrpcServices();
        builder.Services.AddServiceHealth();

        // Last, as adding gRPC, health and reflection each add grpc-dotnet's own binder if it is missing.
        builder.Services.AddRequestGuard();
        return builder;
    }

    // Log lines go to standard output in batches, from one background loop (ZLogger).
    private static void AddServiceLogging(this WebApplicationBuilder builder)
    {
        // The console logger wrote each line by itself and woke its thread for it: a measurable share of the CPU when
        // every graded audit logs one event (benchmarks/README.md).
        // Logging__Format=json: one JSON object a line (timestamp, level, category, message and its parameters), for a
        // log collector; otherwise plain lines for people.
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Logging.ClearProviders().AddZLoggerConsole(options =>
        {
            if (json)
            {
                options.UseJsonFormatter();
                return;
            }

            options.UsePlainTextFormatter(formatter => formatter.SetPrefixFormatter(
                $"{0:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {1:short} {2}: ",
                (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp.Utc, info.LogLevel, info.Category)));
        });
    }

    // gRPC with its REST/JSON transcoding, the OpenAPI document, telemetry and reflection.
    private static void AddGrpcServices(this WebApplicationBuilder builder)
    {
        // Explicit message limits: an audit (at most 132 texts of 20,000 characters) fits in 4 MiB, and a larger
        // request is RESOURCE_EXHAUSTED before it is read. A rule set's files are larger: up to 16 MiB in all.
        // Every method is also REST/JSON (gRPC JSON transcoding, routes from the contract's google.api.http
        // annotations) through the same interceptors, validation and authorisation; its errors are a
        // google.rpc.Status as JSON, details included.
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.MaxReceiveMessageSize = MaxMessageBytes;
            options.MaxSendMessageSize = MaxMessageBytes;
        }).AddServiceOptions<RuleSetLifecycleService>(options =>
        {
            options.MaxReceiveMessageSize = MaxRuleSetMessageBytes;
            options.MaxSendMessageSize = MaxRuleSetMessageBytes;
        }).AddJsonTranscoding(options => options.TypeRegistry = RestJson.ErrorDetails);
        builder.AddOpenApiDocument();
        builder.AddServiceTelemetry();
        // Reflection serves the contract with its comments (ContractDescriptors), beside health and reflection
        // itself; registered before AddGrpcReflection, whose own (comment-less, from the generated code) then stands aside.
        builder.Services.AddSingleton(_ => new Grpc.Reflection.ReflectionServiceImpl(
            [.. CroydonAudit.Contracts.ContractDescriptors.Services, Grpc.Health.V1.Health.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor]));
        builder.Services.AddGrpcReflection();
    }

    // grpc.health.v1: the whole server, each of the contract's services, and liveness.
    private static void AddServiceHealth(this IServiceCollection services)
    {
        // Check answers from the status published every second, so a probe costs next to nothing and
        // the service's ceiling is measured by it; NOT_SERVING follows an outage within about a second.
        // The whole server ("") and each of the contract's services by name answer from every check: each needs
        // both a rule set and the store (GradeAudit, history, activation).
        services.AddGrpcHealthChecks(options =>
            {
                options.UseHealthChecksCache = true;
                foreach (var service in new[] { "", Croydon.Audit.V1.GradingService.Descriptor.FullName, Croydon.Audit.V1.RuleSetService.Descriptor.FullName })
                {
                    options.Services.Map(service, _ => true);
                }

                // "liveness": SERVING whenever the process can answer, whatever the store (its one check always
                // passes): what a liveness probe asks, so that a database outage makes replicas unready, not restarted.
                options.Services.Map(LivenessService, result => result.Name == LivenessService);
            })
            .AddCheck(LivenessService, () => HealthCheckResult.Healthy("The process answers."))
            .AddCheck<RuleSetHealthCheck>("rules")
            .AddCheck<AuditStoreHealthCheck>("store");
        services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = TimeSpan.FromSeconds(1);
        });
    }

    /// <summary>
    /// Checks the identity configuration (<see cref="SecurityExtensions.IdentityMayRun"/>) and loads the rule set to
    /// grade by (see <see cref="RuleSetCoordinator"/> for which source wins) before the service serves. False when
    /// either cannot be: why has been written, and the service must not start.
    /// </summary>
    public static async Task<bool> ReadyToServeAsync(this WebApplication app)
    {
        // A missing connection string stops start-up here, with its message.
        app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        if (app.IdentityMayRun() && await app.StoreRoleMayRunAsync() && await app.Services.GetRequiredService<RuleSetCoordinator>().StartAsync(app.Lifetime.ApplicationStopping))
        {
            return true;
        }

        // Log lines are written in the background: disposing the host writes out the ones still queued.
        await app.DisposeAsync();
        return false;
    }

    // The store's role, checked as the schema is brought up to date (StoreSchema): a superuser or the tables' owner
    // outside local mode stops the start. A database that cannot be reached yet does not: the check runs when it can.
    private static async Task<bool> StoreRoleMayRunAsync(this WebApplication app)
    {
        using var timeout = new CancellationTokenSource(app.Services.GetRequiredService<IOptions<GradingOptions>>().Value.StartupStoreTimeout);
        try
        {
            await app.Services.GetRequiredService<CroydonAudit.Store.Schema.StoreSchema>().EnsureAsync(timeout.Token);
            return true;
        }
        catch (CroydonAudit.Store.Schema.StoreRoleRefusedException e)
        {
            app.Logger.LogCritical("The service cannot start: {Why}", e.Message);
            return false;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException or EvolveDb.EvolveException)
        {
            return true;
        }
    }

    /// <summary>Maps the grading service, health and reflection.</summary>
    public static WebApplication MapGradingService(this WebApplication app)
    {
        app.UseBrowserProtection();
        app.UsePageAssets();
        // Routing after the problem pages, so that a re-executed request (to /problem) is routed again.
        app.UseRouting();
        app.UseMiddleware<CallOutcomeMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<RequestBodyBudget>();
        app.MapGrpcService<AuditGradingService>();
        app.MapGrpcService<RuleSetLifecycleService>();
        app.MapGrpcService<AccessLogReviewService>();
        app.MapGrpcService<ModerationReportService>();
        app.MapServiceTelemetry();
        app.MapOpenApiDocument();
        app.MapServicePages();

        // Probes need no token and are never rate limited; reflection needs one unless Auth:AnonymousReflection.
        app.MapGrpcHealthChecksService().AllowAnonymous().DisableRateLimiting();
        var reflection = app.MapGrpcReflectionService();
        _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.AnonymousReflection
            ? reflection.AllowAnonymous()
            : reflection.RequireAuthorization();
        return app;
    }
}
