using Croydon.Audit.V1;
using CroydonAudit.Identity;
using Grpc.Core;
using CroydonAudit.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// The real service on Kestrel at a free loopback port, with the tests' fixture rules and a fresh
/// PostgreSQL database, and an HTTP/2 gRPC channel to it: tests go through the same wire a case
/// recording system uses.
/// </summary>
public class GradingServiceHost : WebApplicationFactory<Program>
{
    private readonly Lazy<GrpcChannel> _channel;
    private readonly bool _ownsDatabase;

    public GradingServiceHost()
        : this(new TestDatabase(), ownsDatabase: true)
    {
    }

    internal GradingServiceHost(TestDatabase database, bool ownsDatabase = false)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        // Kestrel on both of the service's endpoints, at free loopback ports (UseKestrel(port) would bind one only).
        UseKestrel();
        SigningKeyPath = Path.Combine(Path.GetTempPath(), $"croydon-test-key-{Guid.NewGuid():N}");
        _channel = new Lazy<GrpcChannel>(() => ChannelFor(Token(Roles.All)));
    }

    public TestDatabase Database { get; }

    /// <summary>Local mode's key for this host: tests sign their tokens with it.</summary>
    public string SigningKeyPath { get; }

    /// <summary>A token this host accepts (local mode), for the roles given.</summary>
    public string Token(IEnumerable<string> roles, string? team = null, string? name = "test-caller", TimeSpan? lifetime = null, DateTime? now = null) =>
        LocalTokens.Create(LocalSigningKey.LoadOrCreate(SigningKeyPath), roles, team, name, lifetime, now: now);

    /// <summary>A channel that calls with a token, or with none.</summary>
    public GrpcChannel ChannelFor(string? token) => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        Credentials = token is null
            ? ChannelCredentials.Insecure
            : ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            })),
        UnsafeUseInsecureChannelCallCredentials = true,
    });

    /// <summary>A token with every role: what the default channel calls with.</summary>
    public string AdminToken => Token(Roles.All);

    public LogCapture Logs { get; } = new();

    public GradingService.GradingServiceClient Client => new(Channel);

    public RuleSetService.RuleSetServiceClient RuleSets => new(Channel);

    public Health.HealthClient Health => new(Channel);

    public GrpcChannel Channel => _channel.Value;

    /// <summary>The gRPC endpoint's address (HTTP/2), once started.</summary>
    public Uri Address => Addresses[0];

    /// <summary>The HTTP/1.1 endpoint's address (REST/JSON, the OpenAPI document, metrics), once started.</summary>
    public Uri PagesAddress => Addresses[^1];

    /// <summary>A plain HTTP/1.1 client of the HTTP/1.1 endpoint, calling with a token, or with none.</summary>
    public HttpClient RestClient(string? token)
    {
        var client = new HttpClient { BaseAddress = PagesAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    // Kestrel binds the configured endpoints in the order of their names: Grpc, then Pages.
    private Uri[] Addresses
    {
        get
        {
            StartServer();
            return [.. Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
        }
    }

    /// <summary>The rules folder the service grades by; a test may give it edited rules.</summary>
    protected virtual string RulesPath => RepositoryRoot.FixtureRules;

    /// <summary>The store's connection string; a test may route it through a proxy.</summary>
    protected virtual string StoreConnectionString => Database.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
        builder.UseSetting("Pages:Url", "http://127.0.0.1:0");
        builder.UseSetting("Grading:RulesPath", RulesPath);
        builder.UseSetting("ConnectionStrings:Audit", StoreConnectionString);
        // Give up sooner than in production, so outage tests take seconds.
        builder.UseSetting("Store:RetryAttempts", "2");
        builder.UseSetting("Store:RetryDelay", "00:00:00.100");
        builder.UseSetting("Store:AttemptTimeout", "00:00:02");
        builder.UseSetting("Store:TotalTimeout", "00:00:06");
        builder.UseSetting("Store:BreakDuration", "00:00:01");
        builder.UseSetting("Grading:RulesSettleTime", "00:00:00.200");
        // Tests that activate rule sets act alone; the approval tests ask for a second person (RuleGovernanceTests).
        builder.UseSetting("Rules:RequireApproval", "false");
        builder.UseSetting("Auth:Mode", "Local");
        builder.UseSetting("Auth:LocalSigningKeyPath", SigningKeyPath);
        builder.UseSetting("Grading:StartupStoreTimeout", "00:00:10");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }

        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            Database.Dispose();
        }

        if (disposing)
        {
            File.Delete(SigningKeyPath);
        }
    }
}
