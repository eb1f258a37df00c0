using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Cbor;

/// <summary>
/// Smithy RPC v2 CBOR (CloudWatch's newest protocol): <c>POST /service/{Service}/operation/{Operation}</c>
/// with a CBOR map body, answered by a CBOR map; errors carry their shape name in <c>__type</c>.
/// </summary>
public sealed class CborProtocol : IWireProtocol
{
    public const string ContentType = "application/cbor";
    public const string ProtocolHeader = "smithy-protocol";
    public const string ProtocolHeaderValue = "rpc-v2-cbor";

    public string Name => "smithy-rpc-v2-cbor";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request)
    {
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)) return null;
        // The spec lets a path prefix precede /service/..., so only the last four segments count.
        var segments = request.Path.Split('/');
        if (segments.Length < 5) return null;
        var n = segments.Length;
        if (segments[n - 4] != "service" || segments[n - 2] != "operation") return null;
        var service = Uri.UnescapeDataString(segments[n - 3]);
        // botocore names the service by the model's targetPrefix (the Smithy service shape name).
        if (model.Metadata.TargetPrefix is { } prefix && service != prefix) return null;
        return model.FindOperation(Uri.UnescapeDataString(segments[n - 1]));
    }

    public async ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
    {
        var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
        // Operations without input accept an empty body or an empty map alike; nothing in it is read.
        return operation.Input is null ? [] : CborValueReader.ReadStructure(operation.Input, body);
    }

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        var response = NewResponse(200, requestId);
        // An operation without output answers with no body and no Content-Type (protocol test no_output).
        if (operation.Output is { } shape)
        {
            response.Body = CborValueWriter.Write(shape, output);
            response.ContentType = ContentType;
        }
        return response;
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var response = NewResponse(error.HttpStatus, requestId);
        foreach (var (name, value) in error.Headers) response.Headers.Set(name, value);
        if (model.Metadata.AwsQueryCompatible)
        {
            // Receiver when either the handler or the model says the fault is the server's: botocore
            // models often leave senderFault out of 500 errors (CloudWatch's InternalServiceFault).
            var sender = error.SenderFault && shape?.ErrorSenderFault != false && error.HttpStatus < 500;
            response.Headers.Set("x-amzn-query-error", $"{ErrorShapes.QueryCode(shape, error.Code)};{(sender ? "Sender" : "Receiver")}");
        }
        response.ContentType = ContentType;
        response.Body = ErrorBody(shape, error);
        return response;
    }

    /// <summary>
    /// <c>__type</c> is the bare shape name: the botocore models do not carry the Smithy namespace, and
    /// every SDK reads only the part after '#'.
    /// </summary>
    private static byte[] ErrorBody(Shape? shape, AwsException error)
    {
        var fields = shape is null ? [] : error.Fields;
        var messageMember = shape?.Members.FirstOrDefault(m => string.Equals(m.Name, "message", StringComparison.OrdinalIgnoreCase));
        var messageKey = messageMember?.Name ?? "message";
        // An unmodeled error, or a modeled one whose message the handler did not set as a field.
        var writeMessage = error.Message.Length > 0 && !(fields.TryGetValue(messageKey, out var m) && m is not null);
        var writer = CborValueWriter.NewWriter();
        writer.WriteStartMap(1 + (writeMessage ? 1 : 0) + (shape is null ? 0 : CborValueWriter.CountMembers(shape, fields)));
        writer.WriteTextString("__type");
        writer.WriteTextString(ErrorShapes.ShapeName(shape, error.Code));
        if (writeMessage)
        {
            writer.WriteTextString(messageKey);
            writer.WriteTextString(error.Message);
        }
        if (shape is not null) CborValueWriter.WriteMembers(writer, shape, fields);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static AwsResponse NewResponse(int status, string requestId)
    {
        var response = new AwsResponse { StatusCode = status };
        response.Headers.Set(ProtocolHeader, ProtocolHeaderValue);
        response.Headers.Set("x-amzn-RequestId", requestId);
        return response;
    }
}
