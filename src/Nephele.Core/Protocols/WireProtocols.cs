namespace Nephele.Core.Protocols;

/// <summary>Every wire protocol Nephele speaks.</summary>
public static class WireProtocols
{
    public static IEnumerable<IWireProtocol> All() => [];
}
