using System.Diagnostics.Metrics;
using CroydonAudit.Api.Extensions;
using CroydonAudit.Api.Rules;
using CroydonAudit.Grading;
using CroydonAudit.Store;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CroydonAudit.Api.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry for operators:
/// <list type="bullet">
/// <item>metrics, unless Telemetry:Metrics is false: grading (duration, rules fired by rule id, the limits that decided a grade, grades),
/// the store (each batch's size and time: group commits and reads), the rule set this replica grades by, and
/// ASP.NET Core's own (requests by route and status, Kestrel's connections); scraped by Prometheus at
/// <see cref="ServiceEndpoints.MetricsPath"/> on the HTTP/1.1 endpoint, and exported by OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set;</item>
/// <item>traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set (or Telemetry:Tracing is true): a span for each call
/// (ASP.NET Core and gRPC), each store batch linked to the calls it served, and each PostgreSQL command
/// (Npgsql), exported by OTLP. Without an exporter no span is made at all, so tracing costs nothing.</item>
/// </list>
/// The OTLP exporter reads the standard OTEL_* variables (endpoint, protocol, headers, OTEL_SERVICE_NAME).
/// Nothing recorded carries an audit's content: tags are rule ids, grades, versions, routes and status codes,
/// and Npgsql's spans carry the SQL text (parameters are never recorded).
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>The service's own meter, for what only the host knows (the active rule set).</summary>
    public const string MeterName = "CroydonAudit.Service";

    /// <summary>The name resources are reported under unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "croydon-audit";

    /// <summary>Adds metrics (unless Telemetry:Metrics is false), and traces when an exporter is configured.</summary>
    public static void AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var metricsOn = configuration.GetValue("Telemetry:Metrics", defaultValue: true);
        var tracesOn = otlp || configuration.GetValue<bool>("Telemetry:Tracing");
        if (!metricsOn && !tracesOn)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        if (metricsOn)
        {
            builder.Services.AddSingleton<RuleSetGauge>();
            telemetry.WithMetrics(metrics =>
            {
                // ASP.NET Core's own: requests by route and status, and Kestrel's connections. Not its routing,
                // rate-limiting or diagnostics meters: each measures every request again, for little an operator
                // reads.
                metrics.AddMeter(GradingMetrics.MeterName, StoreTelemetry.Name, MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        if (tracesOn)
        {
            telemetry.WithTracing(tracing =>
            {
                // Probes and scrapes are not calls anyone wants to trace: thousands of spans of nothing.
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health") && !context.Request.Path.StartsWithSegments(ServiceEndpoints.MetricsPath))
                    .AddNpgsql()
                    .AddSource(StoreTelemetry.Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }
    }

    /// <summary>When metrics are on: starts the rule-set gauge and serves Prometheus' scrape endpoint (no token: metrics carry no personal data).</summary>
    public static void MapServiceTelemetry(this WebApplication app)
    {
        // Resolving the gauge creates it; it is registered only when metrics are on.
        if (app.Services.GetService<RuleSetGauge>() is not null)
        {
            app.MapPrometheusScrapingEndpoint(ServiceEndpoints.MetricsPath).AllowAnonymous().DisableRateLimiting();
        }
    }

    /// <summary>The rule set this replica grades by: 1, tagged with its version, while one is loaded.</summary>
    private sealed class RuleSetGauge
    {
        public RuleSetGauge(IMeterFactory meters, ActiveRuleSet rules) =>
            meters.Create(MeterName).CreateObservableGauge(
                "croydon.audit.rule_set.active",
                () => rules.IsLoaded
                    ? [new Measurement<int>(1, new KeyValuePair<string, object?>("version", rules.Grader.RuleSet.Version))]
                    : Array.Empty<Measurement<int>>(),
                "{rule_set}",
                "The rule set this replica grades by: 1, tagged with its version.");
    }
}
