using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// One loopback port per vault, like Lowkey Vault: a vault's URI and its object ids are
/// <c>https://127.0.0.1:VAULT_PORT/...</c>. That authority resolves everywhere with no hosts-file edit, carries no path
/// prefix (the .NET SDK rejects ids with one) and serves the vault itself (the JavaScript, Python and Java SDKs send
/// cryptography calls to the id's host). A port only accepts: its connections go to the emulator's Kestrel as they are
/// (<see cref="VaultConnectionTransport"/>), so TLS, the certificate (SAN 127.0.0.1), keep-alive, faults and the
/// request log are those of the main port, and the port a connection came in on names the vault. Ports are kept in the
/// store and taken again on restart.
/// </summary>
internal sealed class VaultListeners(IDocumentStore store, ILogger<VaultListeners> logger) : IAsyncDisposable
{
    /// <summary>
    /// The path as the client sent it to a vault's port (before it is routed as <c>/vaults/NAME/...</c>).
    /// </summary>
    public const string OriginalPathItem = "emulator.vaultPath";

    private readonly ConcurrentDictionary<string, Listener> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<int, string> byPort = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Channel<Socket> accepted = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    /// <summary>Connections accepted on any vault port, for Kestrel (<see cref="VaultConnectionTransport"/>).</summary>
    public ChannelReader<Socket> Accepted => accepted.Reader;

    /// <summary>The vault served on this port of 127.0.0.1, if any.</summary>
    public string? VaultAt(int port) => byPort.TryGetValue(port, out var name) ? name : null;

    /// <summary>
    /// The vault's data-plane root, <c>https://127.0.0.1:PORT/</c>, opening its listener if it has none yet.
    /// </summary>
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
                await store.PutAsync(Collections.VaultPorts, vaultName,
                    new JsonObject { ["name"] = vaultName, ["port"] = port }, cancellationToken);
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

    /// <summary>
    /// Reopens the listeners of the vaults the store holds, live or soft-deleted (purged ones stay closed).
    /// </summary>
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

        accepted.Writer.TryComplete();
        while (accepted.Reader.TryRead(out var waiting))
        {
            waiting.Dispose(); // accepted but never taken by Kestrel, which has stopped
        }

        stopping.Dispose();
        gate.Dispose();
    }

    /// <summary>
    /// The saved port if it is free again, else a new one the system picks (no race: port 0 binds atomically).
    /// </summary>
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
            Socket connection;
            try
            {
                connection = await socket.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            connection.NoDelay = true;
            if (!accepted.Writer.TryWrite(connection))
            {
                connection.Dispose(); // stopping
            }
        }
    }

    private sealed class Listener(TcpListener socket, Uri uri)
    {
        public TcpListener Socket { get; } = socket;

        public Uri Uri { get; } = uri;

        public Task? Accepting { get; set; }
    }
}
