using System.Net;
using System.Net.Sockets;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL, so a test can take the store away — severing every
/// open connection, mid-transaction or not — and bring it back, as a network failure would.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;
    private volatile byte[]? _severMarker;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Severs every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void TakeDown()
    {
        _down = true;
        lock (_open)
        {
            foreach (var (client, server) in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                server.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    /// <summary>Takes the store down the moment a client sends <paramref name="marker"/>, e.g. in the middle of a transaction.</summary>
    public void TakeDownWhenClientSends(string marker) => _severMarker = System.Text.Encoding.ASCII.GetBytes(marker);

    public void Dispose()
    {
        _stop.Cancel();
        TakeDown();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_down)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task ForwardWatchingAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            if (_severMarker is { } marker && buffer.AsSpan(0, read).IndexOf(marker) >= 0)
            {
                _severMarker = null;
                TakeDown();
                return;
            }
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add((client, server));
            }

            await Task.WhenAny(
                ForwardWatchingAsync(client.GetStream(), server.GetStream()),
                server.GetStream().CopyToAsync(client.GetStream(), _stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A severed connection ends here, as it would for the real client.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove((client, server));
            }

            client.Dispose();
            server.Dispose();
        }
    }
}
