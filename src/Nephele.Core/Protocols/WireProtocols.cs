using Nephele.Core.Protocols.Cbor;
using Nephele.Core.Protocols.Json;
using Nephele.Core.Protocols.Query;
using Nephele.Core.Protocols.Rest;
using Nephele.Core.Protocols.RestXml;

namespace Nephele.Core.Protocols;

/// <summary>Every wire protocol Nephele speaks.</summary>
public static class WireProtocols
{
    public static IEnumerable<IWireProtocol> All() => [new JsonProtocol(), new RestJsonProtocol(), new CborProtocol(), new QueryProtocol(), new Ec2Protocol(), new RestXmlProtocol()];
}
