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
///
/// An output event stream member (a shape with <c>eventstream</c>: S3 SelectObjectContent's Payload, Kinesis
/// SubscribeToShard's EventStream) is an <c>IAsyncEnumerable&lt;Dictionary&lt;string, object?&gt;&gt;</c>; each
/// item is a union value with exactly one member set, the event type:
/// <c>{"Records": {"Payload": bytes}}</c>, <c>{"End": {}}</c>. The serializer sends each event as the handler
/// yields it (<see cref="EventStream.OutgoingEventStream"/>), so the enumerable may wait for new data. To fail the
/// request, throw before returning the output; an AwsException thrown by the enumerable instead ends the
/// stream with an exception message (when the union models that error) or an error message.
/// No model of ours has an input event stream; rest protocols would hand such a payload over as the raw body Stream.
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
