using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// A certified OpenID Connect provider on loopback: node oidc-provider (tests/identity-provider, pinned by its lock
/// file and installed by npm on first use), run by Node until disposed. The test registers the service's clients and
/// people with it, shortens access tokens, or rotates its signing keys, by <see cref="SendAsync"/>.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "identity-provider");
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private readonly Process _process;
    private readonly SemaphoreSlim _talking = new(1, 1);

    private IdentityProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer (its base address), as the service's Auth:Authority.</summary>
    public string Issuer { get; }

    /// <summary>Starts the provider and waits until it says where it listens.</summary>
    public static async Task<IdentityProvider> StartAsync()
    {
        await InstallAsync();
        var start = new ProcessStartInfo("node", ["provider.mjs"])
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await ReadAnswerAsync(process, cancel.Token)
            ?? throw new InvalidOperationException("The identity provider stopped before saying where it listens.");
        return new IdentityProvider(process, first["issuer"]!.GetValue<string>());
    }

    /// <summary>Sends one command (see provider.mjs) and waits for its answer: the key that signs from now.</summary>
    public async Task<string> SendAsync(object command)
    {
        await _talking.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
            await _process.StandardInput.FlushAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var answer = await ReadAnswerAsync(_process, cancel.Token) ?? new JsonObject();
            return answer["signingKey"]?.GetValue<string>() ?? throw new InvalidOperationException($"The identity provider refused {JsonSerializer.Serialize(command)}: {answer}");
        }
        finally
        {
            _talking.Release();
        }
    }

    /// <summary>A case recording system's token, by the client credentials grant, as such a system takes one.</summary>
    public async Task<string> ClientCredentialsTokenAsync(string clientId, string secret)
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsync($"{Issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "audit",
        }));
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    // The next line that is JSON (oidc-provider may write warnings of its own); null when the process has stopped.
    private static async Task<JsonNode?> ReadAnswerAsync(Process process, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return JsonNode.Parse(line);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    // npm ci from the lock file, once per machine: the versions pinned there and nothing else.
    private static async Task InstallAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Folder, "node_modules", "oidc-provider", "package.json")))
            {
                return;
            }

            var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            Assert.True(npm.ExitCode == 0, $"npm ci in tests/identity-provider failed: {await output}{await errors}");
        }
        finally
        {
            Installing.Release();
        }
    }
}
