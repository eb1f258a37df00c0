using Nephele.Core.Gateway;

namespace Nephele.Services.Tests;

/// <summary>A data directory that outlives one server, for tests that stop Nephele and start it again.</summary>
public sealed class RestartableNephele : IDisposable
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("nephele-restart-").FullName;

    public async Task<NepheleServer> StartAsync()
    {
        var server = NepheleServer.Create(new NepheleOptions { Port = 0, DataDir = DataDir, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            ServiceCatalog.Create);
        await server.StartAsync();
        return server;
    }

    public void Dispose() => Directory.Delete(DataDir, recursive: true);
}
