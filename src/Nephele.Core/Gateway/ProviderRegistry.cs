using System.Collections.Concurrent;

namespace Nephele.Core.Gateway;

public enum ServiceState { NotImplemented, Available, Running }

/// <summary>The registered service providers, their operation handlers, and whether each has served yet.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, OperationRegistry> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IResourceCors> _cors = new(StringComparer.Ordinal);

    public ProviderRegistry(IEnumerable<IAwsProvider> providers)
    {
        foreach (var provider in providers)
        {
            var ops = new OperationRegistry();
            provider.Register(ops);
            _operations[provider.ServiceName] = ops;
            if (provider is IResourceCors cors) _cors[provider.ServiceName] = cors;
        }
    }

    public OperationHandler? Find(string service, string operation) =>
        _operations.TryGetValue(service, out var ops) ? ops.Find(operation) : null;

    /// <summary>The service's own CORS answers, when its resources carry CORS rules.</summary>
    public IResourceCors? CorsOf(string service) => _cors.GetValueOrDefault(service);

    public IReadOnlyCollection<string> Operations(string service) =>
        _operations.TryGetValue(service, out var ops) ? ops.Operations : [];

    public ServiceState StateOf(string service) =>
        !_operations.ContainsKey(service) ? ServiceState.NotImplemented
        : _running.ContainsKey(service) ? ServiceState.Running : ServiceState.Available;

    public void MarkRunning(string service) => _running.TryAdd(service, true);
}
