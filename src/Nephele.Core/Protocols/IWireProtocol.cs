using Nephele.Core.Models;

namespace Nephele.Core.Protocols;

/// <summary>
/// One AWS wire protocol: finds the operation a request names, reads its input members, and renders
/// output and errors, all driven by the service model.
///
/// Values are plain objects: a structure or map is <c>Dictionary&lt;string, object?&gt;</c> (member name
/// or map key to value), a list is <c>List&lt;object?&gt;</c>, and scalars are string, bool, long (every
/// integer shape), double (float, double), decimal (bigDecimal), System.Numerics.BigInteger (bigInteger),
/// DateTimeOffset (timestamp), byte[] (blob), Stream (streaming blob payload) and
/// System.Text.Json.Nodes.JsonNode (document). Absent members are absent keys.
/// </summary>
public interface IWireProtocol
{
    /// <summary>The protocol name as in model metadata: query, ec2, json, rest-json, rest-xml, smithy-rpc-v2-cbor.</summary>
    string Name { get; }

    /// <summary>The operation the request names, or null when it names none of the model's operations.</summary>
    OperationModel? ResolveOperation(ServiceModel model, AwsRequest request);

    /// <summary>Reads the operation's input. Malformed input throws the protocol's AwsException (400).</summary>
    ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default);

    AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId);

    AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId);
}
