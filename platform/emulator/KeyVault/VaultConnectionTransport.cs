using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Kestrel's transport for the vault ports: the connections <see cref="VaultListeners"/> accepts on any vault's port
/// are handed to Kestrel as they are, on one endpoint (<see cref="Ports"/>) with the main port's TLS and limits.
/// Forwarding each to the main port instead cost two more sockets per client connection (the hop out and the one it is
/// accepted as), so a client holding a connection to each of thousands of vaults ran the process out of descriptors.
/// </summary>
internal sealed class VaultConnectionTransport(VaultListeners listeners, ILogger<VaultConnectionTransport> logger)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly SocketConnectionContextFactory contexts = new(new SocketConnectionFactoryOptions(), logger);

    /// <summary>The endpoint Kestrel listens on for every vault port.</summary>
    public static EndPoint Ports { get; } = new VaultPortsEndPoint();

    public bool CanBind(EndPoint endpoint) => endpoint is VaultPortsEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is VaultPortsEndPoint
            ? ValueTask.FromResult<IConnectionListener>(new Listener(listeners.Accepted, contexts))
            : throw new NotSupportedException($"{endpoint} is not the vault ports' endpoint.");

    public void Dispose() => contexts.Dispose();

    private sealed class VaultPortsEndPoint : EndPoint
    {
        public override string ToString() => "vault-ports";
    }

    private sealed class Listener(ChannelReader<Socket> accepted,
        SocketConnectionContextFactory contexts) : IConnectionListener
    {
        private readonly CancellationTokenSource unbound = new();

        public EndPoint EndPoint => Ports;

        /// <summary>
        /// The next connection accepted on a vault port; null once unbound or the vault listeners are gone (Kestrel
        /// stops accepting).
        /// </summary>
        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, unbound.Token);
            try
            {
                return contexts.Create(await accepted.ReadAsync(either.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                return null;
            }
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default) => await unbound.CancelAsync();

        public async ValueTask DisposeAsync()
        {
            await unbound.CancelAsync();
            unbound.Dispose();
        }
    }
}
