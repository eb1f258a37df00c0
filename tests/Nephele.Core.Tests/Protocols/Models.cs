using Nephele.Core.Models;

namespace Nephele.Core.Tests.Protocols;

/// <summary>The real service models embedded in Nephele.Core, loaded once each.</summary>
internal static class Models
{
    private static readonly Dictionary<string, ServiceModel> Loaded = [];

    public static ServiceModel Load(string service)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(service, out var model)) return model;
            using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream($"models/{service}.json")
                ?? throw new InvalidOperationException($"No embedded model for {service}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return Loaded[service] = ServiceModel.Load(buffer.ToArray());
        }
    }
}
