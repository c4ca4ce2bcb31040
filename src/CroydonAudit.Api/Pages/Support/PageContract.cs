using Croydon.Audit.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// The pages read and write through the contract itself, as the signed-in person: a gRPC call over loopback to
/// this service's own gRPC endpoint, with their token. So a page obeys exactly the roles, team limits,
/// validation, rate limits and access log that every other caller does, and shows exactly what the contract
/// answers: one implementation, not a second path to the store. (With TLS on the gRPC endpoint, its certificate
/// must be valid for the loopback name the pages call.)
/// </summary>
public sealed class PageContract(IServer server, IHttpContextAccessor http, TimeProvider clock) : IDisposable
{
    private readonly Lazy<GrpcChannel> _channel = new(() => GrpcChannel.ForAddress(GrpcAddress(server, http.HttpContext!)));

    /// <summary>GradingService, as the signed-in person.</summary>
    public GradingService.GradingServiceClient Grading => new(_channel.Value);

    /// <summary>ReportService, as the signed-in person.</summary>
    public ReportService.ReportServiceClient Reports => new(_channel.Value);

    /// <summary>RuleSetService, as the signed-in person.</summary>
    public RuleSetService.RuleSetServiceClient RuleSets => new(_channel.Value);

    /// <summary>The call's options: the person's token, and the page request's cancellation.</summary>
    public CallOptions As(HttpContext context) => new(
        headers: new Metadata { { "authorization", $"Bearer {PageSession.Token(context)}" } },
        deadline: clock.GetUtcNow().UtcDateTime.AddSeconds(30),
        cancellationToken: context.RequestAborted);

    /// <summary>
    /// The teams the person may choose in a filter (ListTeams), by name; null when there are more than it lists, or
    /// the person may not list them: the filter is then a text box.
    /// </summary>
    public async Task<IReadOnlyList<string>?> TeamsAsync(HttpContext context)
    {
        try
        {
            var listed = await Grading.ListTeamsAsync(new ListTeamsRequest(), As(context));
            return listed.Truncated ? null : [.. listed.Teams.Select(t => t.Team)];
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.PermissionDenied or Grpc.Core.StatusCode.Unavailable)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }

    // The gRPC endpoint: the bound address that is not the one this page was asked on, on loopback.
    private static Uri GrpcAddress(IServer server, HttpContext context)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var grpc = addresses.Select(a => new UriBuilder(a)).FirstOrDefault(a => a.Port != context.Connection.LocalPort)
            ?? throw new InvalidOperationException("The service has no gRPC endpoint for its pages to call.");
        if (grpc.Host is "0.0.0.0" or "[::]" or "+" or "*" or "::")
        {
            grpc.Host = "127.0.0.1";
        }

        return grpc.Uri;
    }
}
