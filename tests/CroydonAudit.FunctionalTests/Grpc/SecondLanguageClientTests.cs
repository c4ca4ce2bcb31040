using System.Diagnostics;
using System.Xml.Linq;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// A client in another language decodes the service's errors with what the repository provides: Python (Debian's
/// python3, grpcio, protobuf and protoc) generated from protos/ and from the google.rpc protos the C# build already
/// depends on (the Google.Api.CommonProtos package), not copied by hand. It prints a BadRequest's fields.
/// </summary>
public sealed class SecondLanguageClientTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task PythonClient_DecodesBadRequest_NamingEachField()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var commonProtos = Path.Combine(packages, "google.api.commonprotos", Version(typeof(Google.Rpc.BadRequest).Assembly.GetName().Version!), "content", "protos");
        var wellKnown = Path.Combine(packages, "grpc.tools", PackageVersion("Grpc.Tools"), "build", "native", "include");
        var token = host.Token([Roles.Grader]);
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "tests", "second-language", "run.sh"), commonProtos, wellKnown, $"{host.Address.Host}:{host.Address.Port}", token])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var client = Process.Start(start)!;
        var output = await client.StandardOutput.ReadToEndAsync();
        var errors = await client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync();

        Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{output}\n{errors}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("INVALID_ARGUMENT", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("audit.audit_id: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("audit.case_reference: ", StringComparison.Ordinal));
    }

    private static string Version(Version version) => $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";

    private static string PackageVersion(string id) =>
        XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == id).Attribute("Version")!.Value;
}
