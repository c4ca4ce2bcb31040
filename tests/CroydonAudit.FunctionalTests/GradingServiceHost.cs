using Croydon.Audit.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests;

/// <summary>
/// The real service on Kestrel at a free loopback port, with the repository's rules, and an HTTP/2
/// gRPC channel to it: tests go through the same wire a case recording system uses.
/// </summary>
public class GradingServiceHost : WebApplicationFactory<Program>
{
    private readonly Lazy<GrpcChannel> _channel;

    public GradingServiceHost()
    {
        UseKestrel(0);
        _channel = new Lazy<GrpcChannel>(() =>
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return GrpcChannel.ForAddress(address);
        });
    }

    public GradingService.GradingServiceClient Client => new(_channel.Value);

    public Health.HealthClient Health => new(_channel.Value);

    public GrpcChannel Channel => _channel.Value;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Grading:RulesPath", RepositoryPaths.Rules)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }

        base.Dispose(disposing);
    }
}
