using System.Diagnostics;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>Runs one of the solution's built programs (the service, the command line) as its own process, as a person would.</summary>
public static class BuiltProgram
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Service => Built("CroydonAudit.Api", "CroydonAudit.Api.dll");

    public static string CommandLine => Built("CroydonAudit.Cli", "croydon-audit.dll");

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (program == Service)
        {
            // As ./run.sh starts it: its settings (appsettings.json) are beside it.
            start.ArgumentList.Add("--contentRoot");
            start.ArgumentList.Add(Path.GetDirectoryName(program)!);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await errors);
    }

    private static string Built(string project, string dll) => Path.Combine(RepositoryRoot.Path, "src", project, "bin", Configuration, "net10.0", dll);
}
