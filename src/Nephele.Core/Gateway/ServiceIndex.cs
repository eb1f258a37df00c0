using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nephele.Core.Gateway;

/// <summary>One service of models/index.json: what routing needs without loading the model.</summary>
public sealed class ServiceInfo
{
    public string Name { get; set; } = "";
    public string ServiceId { get; set; } = "";
    public string SigningName { get; set; } = "";
    public string EndpointPrefix { get; set; } = "";
    public string? TargetPrefix { get; set; }
    public string? JsonVersion { get; set; }
    public List<string> Protocols { get; set; } = [];
    public bool AwsQueryCompatible { get; set; }
    public string? GlobalEndpoint { get; set; }
    /// <summary>Protocol name to embedded model file.</summary>
    public Dictionary<string, string> Models { get; set; } = [];
    /// <summary>Operation names, for query/ec2 services (unsigned Action= routing).</summary>
    public List<string> Actions { get; set; } = [];
    /// <summary>First literal path segments of rest operations.</summary>
    public List<string> PathPrefixes { get; set; } = [];

    /// <summary>Services whose resources are not regional (one namespace per account).</summary>
    public bool IsGlobal => GlobalEndpoint is not null && Name != "s3" && Name != "sts";

    public override string ToString() => Name;
}

internal sealed class ServiceIndexDocument
{
    public List<ServiceInfo> Services { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ServiceIndexDocument))]
internal sealed partial class ServiceIndexJsonContext : JsonSerializerContext;

/// <summary>
/// The routing index (models/index.json), read at startup; models themselves load lazily per service.
/// </summary>
public sealed class ServiceIndex
{
    private readonly Dictionary<string, ServiceInfo> _byName;
    private readonly Dictionary<string, ServiceInfo[]> _bySigningName;
    private readonly Dictionary<string, ServiceInfo[]> _byTargetPrefix;
    private readonly Dictionary<string, ServiceInfo[]> _byPathPrefix;
    private readonly Dictionary<string, ServiceInfo[]> _byAction;

    private ServiceIndex(List<ServiceInfo> services)
    {
        Services = services;
        _byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _bySigningName = Group(services, s => [s.SigningName]);
        _byTargetPrefix = Group(services, s => s.TargetPrefix is null ? [] : [s.TargetPrefix]);
        _byPathPrefix = Group(services, s => s.PathPrefixes);
        _byAction = Group(services, s => s.Actions);
    }

    public IReadOnlyList<ServiceInfo> Services { get; }

    public static ServiceIndex Load()
    {
        using var stream = ModelCatalog.OpenResource("index.json");
        var doc = JsonSerializer.Deserialize(stream, ServiceIndexJsonContext.Default.ServiceIndexDocument)
            ?? throw new InvalidDataException("models/index.json is empty.");
        return new ServiceIndex(doc.Services);
    }

    public ServiceInfo? Find(string name) => _byName.GetValueOrDefault(name);
    public IReadOnlyList<ServiceInfo> BySigningName(string signingName) => _bySigningName.GetValueOrDefault(signingName) ?? [];
    public IReadOnlyList<ServiceInfo> ByTargetPrefix(string prefix) => _byTargetPrefix.GetValueOrDefault(prefix) ?? [];
    public IReadOnlyList<ServiceInfo> ByPathPrefix(string segment) => _byPathPrefix.GetValueOrDefault(segment) ?? [];
    public IReadOnlyList<ServiceInfo> ByAction(string action) => _byAction.GetValueOrDefault(action) ?? [];

    private static Dictionary<string, ServiceInfo[]> Group(List<ServiceInfo> services, Func<ServiceInfo, IEnumerable<string>> keys) =>
        services.SelectMany(s => keys(s).Select(k => (Key: k, Service: s)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Service).ToArray(), StringComparer.Ordinal);
}
