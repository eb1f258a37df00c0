using System.Net;
using System.Net.Sockets;

namespace Nephele.Bench.Processes;

/// <summary>A loopback port nobody listens on right now (the kernel picks it; we release it for the server).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
