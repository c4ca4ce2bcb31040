using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// The service as a container starts it, configured by environment variables only: in Production without an
/// identity provider it refuses to start and says why; with a certificate file it serves gRPC over TLS.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TestDatabase _database = new();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("croydon-startup");

    [Fact]
    public async Task Production_WithNoIdentityProvider_RefusesToStart_SayingWhy()
    {
        var (exitCode, output, errors) = await BuiltProgram.RunAsync(BuiltProgram.Service, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Audit"] = _database.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            ["Auth__LocalSigningKeyPath"] = Path.Combine(_scratch.FullName, "key"),
        }, Timeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("no identity provider is configured (Auth__Authority, Auth__Audience)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch.FullName, "key")), "no local signing key is made in Production");
        Assert.DoesNotContain("Exception", output + errors, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RefusedConfigurations => new()
    {
        // Local mode only when asked for: without Auth__Mode=Local, no provider is no start, whatever the environment.
        { "Staging", "", "no identity provider is configured (Auth__Authority, Auth__Audience)" },
        { "Production", "Mode=Local", "local mode (Auth__Mode=Local), where the service accepts tokens signed by a key in a file, is not allowed in Production" },
        { "Production", "Authority=https://login.example.org/tenant/v2.0", "no audience (Auth__Audience): every token would be refused" },
        { "Local", "Mode=Local;Authority=https://login.example.org/tenant/v2.0", "Choose one" },
        { "Local", "Mode=Locale", "Auth__Mode is \"Locale\"" },
        { "Production", "Authority=https://login.example.org/tenant/v2.0;Audience=api://croydon-audit;ClientId=pages", "configured (Auth__ClientId) without its secret (Auth__ClientSecret) or certificate (Auth__ClientCertificatePath)" },
        { "Production", "Authority=https://login.example.org/tenant/v2.0;Audience=api://croydon-audit;ClientId=pages;ClientSecret=s;ClientCertificatePath=/run/secrets/pages.pem", "Give one of them." },
        { "Production", "Authority=https://login.example.org/tenant/v2.0;Audience=api://croydon-audit;ClientId=pages;ClientCertificatePath=/nowhere/pages.pem", "cannot be read as a PEM certificate with its private key" },
    };

    [Theory]
    [MemberData(nameof(RefusedConfigurations))]
    public async Task IdentityConfiguration_ThatCannotBeTrusted_IsRefusedAtStart_SayingWhy(string environment, string auth, string why)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Audit"] = _database.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            ["Auth__LocalSigningKeyPath"] = Path.Combine(_scratch.FullName, "key"),
        };
        foreach (var pair in auth.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            settings[$"Auth__{pair[..pair.IndexOf('=')]}"] = pair[(pair.IndexOf('=') + 1)..];
        }

        var (exitCode, output, errors) = await BuiltProgram.RunAsync(BuiltProgram.Service, [], settings, Timeout);

        Assert.Equal(1, exitCode);
        Assert.Contains(why, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateFromFiles_ServesGrpcOverTls_AndAClientThatDoesNotTrustItIsRefused()
    {
        using var certificate = SelfSigned();
        var certificatePath = Path.Combine(_scratch.FullName, "tls.crt");
        var keyPath = Path.Combine(_scratch.FullName, "tls.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var signingKey = Path.Combine(_scratch.FullName, "signing-key");

        using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Local",
            ["Auth__Mode"] = "Local",
            ["Kestrel__Endpoints__Grpc__Url"] = "https://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Certificate__Path"] = certificatePath,
            ["Kestrel__Endpoints__Grpc__Certificate__KeyPath"] = keyPath,
            ["ConnectionStrings__Audit"] = _database.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            ["Auth__LocalSigningKeyPath"] = signingKey,
        }, Timeout);
        var token = LocalTokens.Create(LocalSigningKey.LoadOrCreate(signingKey), [Roles.Grader]);
        var audit = FixtureCases.Load("complete-good").Audit;

        using var trusting = Channel(service.Address, token, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
        var graded = await new GradingService.GradingServiceClient(trusting).PreviewGradeAsync(new() { Audit = audit });
        using var untrusting = Channel(service.Address, token, validate: null);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(untrusting).PreviewGradeAsync(new() { Audit = audit }));

        Assert.Equal("https", service.Address.Scheme);
        Assert.Equal(Grade.Good, graded.Result.OverallGrade);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.Status.DebugException?.InnerException);
    }

    [Fact]
    public async Task LoggingFormatJson_WritesOneJsonObjectALine()
    {
        using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Local",
            ["Auth__Mode"] = "Local",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Logging__Format"] = "json",
            ["ConnectionStrings__Audit"] = _database.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            ["Auth__LocalSigningKeyPath"] = Path.Combine(_scratch.FullName, "json-key"),
        }, Timeout);

        var lines = service.StartupLines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();

        Assert.Contains(lines, l => l.GetProperty("Message").GetString()!.StartsWith("Now listening on: ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.TryGetProperty("LogLevel", out _) && l.TryGetProperty("Timestamp", out _), l.ToString()));
    }

    public void Dispose()
    {
        _database.Dispose();
        _scratch.Delete(recursive: true);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static GrpcChannel Channel(Uri address, string token, RemoteCertificateValidationCallback? validate) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validate } },
        Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        })),
    });
}
