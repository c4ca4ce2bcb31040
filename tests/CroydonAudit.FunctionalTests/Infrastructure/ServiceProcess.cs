using System.Diagnostics;
using System.Text.RegularExpressions;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// The built service running as its own process, configured only by environment variables as a container would
/// be, until disposed; its address is the one it says it listens on.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri address, IReadOnlyList<string> startupLines)
    {
        _process = process;
        Address = address;
        StartupLines = startupLines;
    }

    public Uri Address { get; }

    /// <summary>The most memory the process has had resident so far (Linux: VmHWM).</summary>
    public long PeakResidentBytes => File.ReadLines($"/proc/{_process.Id}/status")
        .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
        .Single();

    /// <summary>What the service wrote to standard output up to saying where it listens.</summary>
    public IReadOnlyList<string> StartupLines { get; }

    /// <summary>Starts the service and waits until it says where it listens; fails with its output if it exits first.</summary>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var argument in new[] { BuiltProgram.Service, "--contentRoot", Path.GetDirectoryName(BuiltProgram.Service)! })
        {
            start.ArgumentList.Add(argument);
        }

        // The HTTP/1.1 endpoint at a free port too, unless the test says where: never the port a running ./run.sh uses.
        start.Environment["Pages__Url"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var seen = new List<string>();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                seen.Add(line);
                if (ListeningOn().Match(line) is { Success: true } listening)
                {
                    // Keep draining its output so the service never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new ServiceProcess(process, new Uri(listening.Groups["address"].Value), seen);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException($"The service did not start listening within {timeout}:\n{string.Join('\n', seen)}");
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<address>[^\s""]+)")]
    private static partial Regex ListeningOn();
}
