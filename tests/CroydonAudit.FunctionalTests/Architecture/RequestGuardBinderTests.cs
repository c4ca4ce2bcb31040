using CroydonAudit.Api.Infrastructure.Grpc;
using CroydonAudit.Api.Services;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests.Architecture;

/// <summary>
/// The request guard's binder (<see cref="GuardedServiceMethodProvider{TService}"/>) copies what grpc-dotnet's own
/// binder does, which grpc-dotnet keeps internal. Bound both ways, every service must come out the same — the same
/// routes, each once, with the same metadata (so [Authorize] and the like apply) — except for the request marshaller:
/// an upgrade of Grpc.AspNetCore that changes what its binder makes fails here, not in production.
/// </summary>
public sealed class RequestGuardBinderTests
{
    [Fact]
    public async Task GuardedBinder_BindsEveryMethod_AsGrpcDotnetsOwnDoes()
    {
        var own = await EndpointsAsync(guarded: false);
        var guarded = await EndpointsAsync(guarded: true);

        Assert.Contains(own, e => e.Route == "/croydon.audit.v1.GradingService/GradeAudit");
        Assert.Equal(own.Select(e => e.Route).Distinct().Count(), own.Count);
        Assert.Equal(own.Select(e => (e.Route, e.Metadata)), guarded.Select(e => (e.Route, e.Metadata)));
        // Only the guarded binder reads requests through the guard.
        Assert.All(own.Where(e => e.Marshaller is not null), e => Assert.DoesNotContain("GuardedServiceMethodProvider", e.Marshaller));
        Assert.All(guarded.Where(e => e.Marshaller is not null), e => Assert.Contains("GuardedServiceMethodProvider", e.Marshaller));
    }

    [Fact]
    public void AddRequestGuard_LeavesNoOtherGrpcBinder()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddGrpc();
        services.AddGrpcHealthChecks();
        services.AddGrpcReflection();

        services.AddRequestGuard();

        var binders = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)).Select(d => d.ImplementationType).ToList();
        Assert.Equal([typeof(GuardedServiceMethodProvider<>)], binders);
    }

    private static async Task<List<(string Route, string Metadata, string? Marshaller)>> EndpointsAsync(bool guarded)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrpc();
        if (guarded)
        {
            builder.Services.AddRequestGuard();
        }

        await using var app = builder.Build();
        app.MapGrpcService<AuditGradingService>();
        app.MapGrpcService<RuleSetLifecycleService>();
        app.MapGrpcService<AccessLogReviewService>();
        app.MapGrpcService<ModerationReportService>();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern.RawText ?? "", string.Join(" | ", e.Metadata.Select(Describe)), Marshaller(e)))
            .OrderBy(e => e.Item1, StringComparer.Ordinal)];
    }

    // Metadata by what it says, not by instance: the method by name and kind, attributes and the rest by type and value.
    private static string Describe(object metadata) => metadata switch
    {
        GrpcMethodMetadata grpc => $"{nameof(GrpcMethodMetadata)} {grpc.ServiceType.Name} {grpc.Method.FullName} {grpc.Method.Type}",
        IHttpMethodMetadata http => $"{metadata.GetType().Name} {string.Join(',', http.HttpMethods)} {http.AcceptCorsPreflight}",
        _ => $"{metadata.GetType().FullName} {metadata}",
    };

    // Whose code parses the method's requests: the request marshaller's deserializer, by where it was written.
    private static string? Marshaller(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is { } method
            ? method.GetType().GetProperty("RequestMarshaller")?.GetValue(method) is { } marshaller
                ? marshaller.GetType().GetProperty("ContextualDeserializer")?.GetValue(marshaller) is Delegate parse ? parse.Method.DeclaringType?.FullName ?? "" : ""
                : ""
            : null;
}
