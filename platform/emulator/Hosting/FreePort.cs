using System.Net;
using System.Net.Sockets;

namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// Finds a free loopback port (the port must be known before the token issuer and vault URIs are built).
/// </summary>
internal static class FreePort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
