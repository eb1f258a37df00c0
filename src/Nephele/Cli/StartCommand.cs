using System.Net.Sockets;
using Nephele.Core.Gateway;
using Nephele.Services;

namespace Nephele.Cli;

internal static class StartCommand
{
    public static async Task<int> RunAsync(NepheleOptions options, CancellationToken ct)
    {
        NepheleServer server;
        try
        {
            server = NepheleServer.Create(options, ServiceCatalog.Create);
            await server.StartAsync(ct);
        }
        catch (Exception e) when (Describe(e, options) is { } message)
        {
            Console.Error.WriteLine($"nephele: {message}");
            return NepheleCli.UsageError;
        }
        await using (server)
        {
            foreach (var line in ServiceGroups.Describe(server.Index, server.Providers))
                Console.WriteLine(line);
            Console.WriteLine($"Nephele {InternalEndpoints.Version} listening on {server.Endpoint.ToString().TrimEnd('/')} ({(options.Ephemeral ? "ephemeral, in memory" : "state in " + Path.GetFullPath(options.DataDir))})");
            Console.WriteLine("Ready.");
            await server.WaitForShutdownAsync(ct);
        }
        return 0;
    }

    /// <summary>The one line a user needs for a startup failure we expect; null lets anything else surface.</summary>
    private static string? Describe(Exception e, NepheleOptions options) => e switch
    {
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } or
        IOException when e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            => $"port {options.Port} on {options.Host} is already in use; stop the other process or pass --port.",
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => $"cannot bind {options.Host}: no such local address.",
        Nephele.Core.State.StateStoreException => e.Message,
        UnauthorizedAccessException or IOException => $"cannot use data directory {options.DataDir}: {e.Message}",
        InvalidOperationException when e.InnerException is not null => Describe(e.InnerException, options),
        _ => null,
    };
}
