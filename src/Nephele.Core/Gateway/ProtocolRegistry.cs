using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>The wire protocols, by the name service models use for them.</summary>
public sealed class ProtocolRegistry
{
    private readonly Dictionary<string, IWireProtocol> _protocols;

    public ProtocolRegistry(IEnumerable<IWireProtocol> protocols) =>
        _protocols = protocols.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static ProtocolRegistry Default() => new(WireProtocols.All());

    public IWireProtocol Get(string name) => _protocols.TryGetValue(name, out var p)
        ? p : throw new InvalidOperationException($"Protocol {name} is not implemented.");

    public bool Has(string name) => _protocols.ContainsKey(name);
}
