using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// One loopback port per vault, like Lowkey Vault: a vault's URI and its object ids are
/// <c>https://127.0.0.1:VAULT_PORT/...</c>. That authority resolves everywhere with no hosts-file edit, carries no path
/// prefix (the .NET SDK rejects ids with one) and serves the vault itself (the JavaScript, Python and Java SDKs send
/// cryptography calls to the id's host). Each port forwards raw TCP to the emulator's HTTPS port, so TLS, the
/// certificate (SAN 127.0.0.1), faults and the request log are those of the main port; the request's Host header names
/// the vault. Ports are kept in the store and taken again on restart.
/// </summary>
internal sealed class VaultListeners(IDocumentStore store, EmulatorSettings settings, ILogger<VaultListeners> logger) : IAsyncDisposable
{
    /// <summary>The path as the client sent it to a vault's port (before it is routed as <c>/vaults/NAME/...</c>).</summary>
    public const string OriginalPathItem = "emulator.vaultPath";

    private readonly ConcurrentDictionary<string, Listener> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<int, string> byPort = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();

    /// <summary>The vault served on this port of 127.0.0.1, if any.</summary>
    public string? VaultAt(int port) => byPort.TryGetValue(port, out var name) ? name : null;

    /// <summary>The vault's data-plane root, <c>https://127.0.0.1:PORT/</c>, opening its listener if it has none yet.</summary>
    public async Task<Uri> EnsureAsync(string vaultName, CancellationToken cancellationToken)
    {
        if (byName.TryGetValue(vaultName, out var open))
        {
            return open.Uri;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (byName.TryGetValue(vaultName, out open))
            {
                return open.Uri;
            }

            var saved = await store.GetAsync(Collections.VaultPorts, vaultName, cancellationToken);
            var wanted = (int?)saved?["port"] ?? 0;
            var socket = Bind(wanted);
            var port = ((IPEndPoint)socket.LocalEndpoint).Port;
            if (wanted != 0 && port != wanted)
            {
                Logs.VaultPortMoved(logger, vaultName, wanted, port);
            }

            if (port != wanted)
            {
                await store.PutAsync(Collections.VaultPorts, vaultName, new JsonObject { ["name"] = vaultName, ["port"] = port }, cancellationToken);
            }

            var listener = new Listener(socket, new Uri($"https://127.0.0.1:{port}/"));
            byName[vaultName] = listener;
            byPort[port] = vaultName;
            listener.Accepting = AcceptAsync(socket, stopping.Token);
            return listener.Uri;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Closes a purged vault's port, so open ports do not grow with every vault ever made. The port number stays saved
    /// (a few bytes per name): a vault created again under the name takes it back if it is free, as in Azure, where the
    /// name alone makes the URI, so clients built on the old URI reach the new vault.
    /// </summary>
    public async Task ReleaseAsync(string vaultName, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (byName.TryRemove(vaultName, out var listener))
            {
                byPort.TryRemove(((IPEndPoint)listener.Socket.LocalEndpoint).Port, out _);
                listener.Socket.Stop();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reopens the listeners of the vaults the store holds, live or soft-deleted (purged ones stay closed).</summary>
    public async Task RestoreAsync(IEnumerable<string> vaultNames, CancellationToken cancellationToken)
    {
        foreach (var name in vaultNames)
        {
            await EnsureAsync(name, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var listener in byName.Values)
        {
            listener.Socket.Stop();
            if (listener.Accepting is { } accepting)
            {
                await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        stopping.Dispose();
        gate.Dispose();
    }

    /// <summary>The saved port if it is free again, else a new one the system picks (no race: port 0 binds atomically).</summary>
    private static TcpListener Bind(int wanted)
    {
        if (wanted != 0)
        {
            try
            {
                var again = new TcpListener(IPAddress.Loopback, wanted);
                again.Start();
                return again;
            }
            catch (SocketException)
            {
                // Taken by another process meanwhile: the vault moves to a new port.
            }
        }

        var fresh = new TcpListener(IPAddress.Loopback, 0);
        fresh.Start();
        return fresh;
    }

    private async Task AcceptAsync(TcpListener socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await socket.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    /// <summary>Pipes one connection to the emulator's HTTPS port, both ways, until either side closes.</summary>
    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(IPAddress.Loopback, settings.Endpoint.Port, cancellationToken);
                var inbound = client.GetStream();
                var outbound = upstream.GetStream();
                var up = PumpAsync(inbound, upstream.Client, outbound, cancellationToken);
                var down = PumpAsync(outbound, client.Client, inbound, cancellationToken);
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                Logs.VaultConnectionEnded(logger, ex.GetType().Name);
            }
        }
    }

    /// <summary>Copies one direction, then half-closes the other socket so the peer sees the end of the stream.</summary>
    private static async Task PumpAsync(Stream from, Socket toSocket, Stream to, CancellationToken cancellationToken)
    {
        await from.CopyToAsync(to, cancellationToken);
        try
        {
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The other side is already gone.
        }
    }

    private sealed class Listener(TcpListener socket, Uri uri)
    {
        public TcpListener Socket { get; } = socket;

        public Uri Uri { get; } = uri;

        public Task? Accepting { get; set; }
    }
}
