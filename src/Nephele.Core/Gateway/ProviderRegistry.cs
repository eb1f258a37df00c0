using System.Collections.Concurrent;
using Nephele.Core.Policies;

namespace Nephele.Core.Gateway;

public enum ServiceState { NotImplemented, Available, Running }

/// <summary>The registered service providers, their operation handlers, and whether each has served yet.
/// Disposing it disposes the providers that own resources (Lambda's runtime processes).</summary>
public sealed class ProviderRegistry : IAsyncDisposable
{
    private readonly List<IAwsProvider> _providers = [];
    private readonly Dictionary<string, OperationRegistry> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IResourcePolicySource> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IResourceCors> _cors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IUnmodeledOperations> _unmodeled = new(StringComparer.Ordinal);

    /// <summary>The service that knows principals' policies (IAM), if one is registered.</summary>
    public IIdentityPolicySource? IdentityPolicies { get; }

    /// <summary>The service that records when long-term access keys were last used (IAM), if one is registered.</summary>
    public Auth.IAccessKeyUseRecorder? AccessKeyUse { get; }

    /// <summary>How a service names the resource of a request and finds its resource policy, if it says.</summary>
    public IResourcePolicySource? ResourcesOf(string service) => _resources.GetValueOrDefault(service);

    public ProviderRegistry(IEnumerable<IAwsProvider> providers)
    {
        foreach (var provider in providers)
        {
            _providers.Add(provider);
            var ops = new OperationRegistry();
            provider.Register(ops);
            _operations[provider.ServiceName] = ops;
            if (provider is IResourcePolicySource resources) _resources[provider.ServiceName] = resources;
            IdentityPolicies ??= provider as IIdentityPolicySource;
            AccessKeyUse ??= provider as Auth.IAccessKeyUseRecorder;
            if (provider is IResourceCors cors) _cors[provider.ServiceName] = cors;
            if (provider is IUnmodeledOperations unmodeled) _unmodeled[provider.ServiceName] = unmodeled;
        }
    }

    public OperationHandler? Find(string service, string operation) =>
        _operations.TryGetValue(service, out var ops) ? ops.Find(operation) : null;

    /// <summary>The service's own CORS answers, when its resources carry CORS rules.</summary>
    public IResourceCors? CorsOf(string service) => _cors.GetValueOrDefault(service);

    /// <summary>The service's handler of requests its model has no operation for, if it has one.</summary>
    public IUnmodeledOperations? UnmodeledOf(string service) => _unmodeled.GetValueOrDefault(service);

    public IReadOnlyCollection<string> Operations(string service) =>
        _operations.TryGetValue(service, out var ops) ? ops.Operations : [];

    public ServiceState StateOf(string service) =>
        !_operations.ContainsKey(service) ? ServiceState.NotImplemented
        : _running.ContainsKey(service) ? ServiceState.Running : ServiceState.Available;

    public void MarkRunning(string service) => _running.TryAdd(service, true);

    /// <summary>The providers that add details to the health report.</summary>
    public IEnumerable<(string Service, IHealthDetails Details)> HealthDetails =>
        _providers.OfType<IHealthDetails>().Select(d => (((IAwsProvider)d).ServiceName, d));

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            if (provider is IAsyncDisposable async) await async.DisposeAsync();
            else if (provider is IDisposable sync) sync.Dispose();
        }
    }
}
