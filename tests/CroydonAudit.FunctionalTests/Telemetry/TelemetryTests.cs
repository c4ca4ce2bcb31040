using System.Diagnostics;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CroydonAudit.FunctionalTests.Telemetry;

/// <summary>
/// OpenTelemetry, seen through an in-memory exporter added beside the service's own: a span for the call, a span
/// for the store's group commit linked to it, Npgsql's command spans under that; and the service's metrics under
/// their names, tagged with the rules that fired, the limit that decided the grade and the active rule set. The
/// same metrics are scraped by Prometheus from the HTTP/1.1 endpoint, without a token.
/// </summary>
public sealed class TelemetryTests(TelemetryTests.TracedHost host) : IClassFixture<TelemetryTests.TracedHost>
{
    [Fact]
    public async Task AGradedAudit_IsTraced_FromTheCallThroughTheGroupCommitToPostgreSql()
    {
        var audit = FixtureCases.Load("significant-concern").Audit.Also(a => a.AuditId = "traced-audit");

        // The client's own trace (a W3C traceparent), which the service's span for the call continues.
        var trace = ActivityTraceId.CreateRandom();
        await host.Client.GradeAuditAsync(new() { Audit = audit }, new Metadata { { "traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01" } });

        // The call's span ends once its answer is sent, which may be just after the client has it.
        bool IsTheCall(Activity s) => s.Source.Name == "Microsoft.AspNetCore" && s.TraceId == trace && s.DisplayName.Contains("GradingService/GradeAudit", StringComparison.Ordinal);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Spans.ToArray().Any(IsTheCall)), TimeSpan.FromSeconds(10)));
        var spans = host.Spans.ToArray();
        var call = Assert.Single(spans, IsTheCall);
        var batch = spans.Single(s => s.OperationName == "store write batch" && s.Links.Any(l => l.Context.SpanId == call.SpanId));
        Assert.Equal(call.TraceId, batch.Links.Single(l => l.Context.SpanId == call.SpanId).Context.TraceId);
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == batch.SpanId);
    }

    [Fact]
    public async Task Metrics_NameTheRulesThatFired_TheLimitThatDecided_AndTheActiveRuleSet()
    {
        var result = (await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("significant-concern").Audit.Also(a => a.AuditId = "metered-audit") })).Result;
        Assert.True(result.CapApplied);
        var fired = result.Trace.Where(t => t.Fired).Select(t => t.RuleId).ToArray();

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var metrics = host.Metrics.ToArray().GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());

        Assert.Subset(metrics.Keys.ToHashSet(), new HashSet<string>
        {
            "croydon.audit.grading.duration", "croydon.audit.rules.fired", "croydon.audit.grade.deciding_limits", "croydon.audit.graded",
            "croydon.audit.store.batch.duration", "croydon.audit.store.batch.size", "croydon.audit.rule_set.active",
        });
        Assert.Subset(Tags(metrics["croydon.audit.rules.fired"], "rule_id"), fired.ToHashSet());
        Assert.Contains("limit.significant-concern", Tags(metrics["croydon.audit.grade.deciding_limits"], "rule_id"));
        Assert.Contains(result.RuleSetVersion, Tags(metrics["croydon.audit.rule_set.active"], "version"));
        Assert.Contains("write", Tags(metrics["croydon.audit.store.batch.size"], "kind"));
    }

    [Fact]
    public async Task Prometheus_ScrapesTheSameMetrics_WithoutAToken()
    {
        await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("significant-concern").Audit });
        using var anonymous = host.RestClient(token: null);

        var scraped = await anonymous.GetStringAsync("/metrics");

        Assert.Contains("croydon_audit_rules_fired_total{", scraped);
        Assert.Contains("rule_id=\"limit.significant-concern\"", scraped);
        Assert.Contains("croydon_audit_grading_duration_seconds_bucket{", scraped);
        Assert.Contains("croydon_audit_rule_set_active{", scraped);
    }

    private static HashSet<string> Tags(MetricSnapshot metric, string tag)
    {
        var values = new HashSet<string>();
        foreach (var point in metric.MetricPoints)
        {
            foreach (var pair in point.Tags)
            {
                if (pair.Key == tag && pair.Value is string value)
                {
                    values.Add(value);
                }
            }
        }

        return values;
    }

    /// <summary>The service with tracing on and in-memory exporters beside its own.</summary>
    public sealed class TracedHost : GradingServiceHost
    {
        public List<Activity> Spans { get; } = [];

        public List<MetricSnapshot> Metrics { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Telemetry:Tracing", "true");
            builder.ConfigureServices(services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans))
                .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics)));
        }
    }
}
