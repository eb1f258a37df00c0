using System.Runtime.CompilerServices;
using Nephele.Core.Models;
using Nephele.Core.Protocols.EventStream;

namespace Nephele.Core.Protocols.Json;

/// <summary>
/// The awsJson1_0 / awsJson1_1 protocol: POST /, the operation named by X-Amz-Target, the input as one
/// JSON object, errors as {"__type", "message"} with x-amzn-ErrorType.
/// </summary>
public sealed class JsonProtocol : IWireProtocol
{
    private static readonly ConditionalWeakTable<ServiceModel, TargetIndex> Targets = new();

    public string Name => "json";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request)
    {
        var target = request.Headers.Get("X-Amz-Target");
        return target is null ? null : Targets.GetValue(model, m => new TargetIndex(m)).Find(target);
    }

    public async ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
    {
        var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
        return operation.Input is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : JsonValueReader.ReadStructure(operation.Input, body);
    }

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        var response = NewResponse(model, requestId, 200);
        if (EventStreamResponse.StreamMember(operation.Output) is { } stream)
        {
            // RPC protocols have no HTTP bindings for the other output members: they open the stream as its initial-response.
            var marshaller = EventStreamMarshaller.Json;
            EventStreamResponse.Write(response, marshaller, stream, output.GetValueOrDefault(stream.Name), marshaller.InitialResponse(operation.Output!, output));
            return response;
        }
        response.Body = operation.Output is null ? "{}"u8.ToArray() : JsonValueWriter.WriteStructure(operation.Output, output);
        return response;
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var response = NewResponse(model, requestId, error.HttpStatus);
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var code = ErrorShapes.ShapeName(shape, error.Code);
        foreach (var (name, value) in error.Headers) response.Headers.Set(name, value);
        response.Headers.Set("x-amzn-ErrorType", code);
        // Query-compatible services (SQS) also name the legacy query error code, which those clients prefer.
        if (model.Metadata.AwsQueryCompatible)
            response.Headers.Set("x-amzn-query-error", $"{ErrorShapes.QueryCode(shape, error.Code)};{(error.SenderFault ? "Sender" : "Receiver")}");
        response.Body = JsonErrorBody.Write(code, error, shape, bodyMembersOnly: false);
        return response;
    }

    private static AwsResponse NewResponse(ServiceModel model, string requestId, int status)
    {
        var response = new AwsResponse { StatusCode = status };
        response.Headers.Set("x-amzn-RequestId", requestId);
        response.ContentType = model.Metadata.JsonVersion switch
        {
            "1.1" => "application/x-amz-json-1.1",
            "1.0" => "application/x-amz-json-1.0",
            var version => "application/x-amz-json-" + version,
        };
        return response;
    }

    /// <summary>Operations by X-Amz-Target, built once per model.</summary>
    private sealed class TargetIndex
    {
        private readonly Dictionary<string, OperationModel> _byTarget = new(StringComparer.Ordinal);
        private readonly Dictionary<string, OperationModel>.AlternateLookup<ReadOnlySpan<char>> _byName;

        public TargetIndex(ServiceModel model)
        {
            var byName = new Dictionary<string, OperationModel>(StringComparer.Ordinal);
            foreach (var op in model.Operations.Values)
            {
                byName[op.Name] = op;
                if (model.Metadata.TargetPrefix is { } prefix) _byTarget[prefix + "." + op.Name] = op;
            }
            _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public OperationModel? Find(string target)
        {
            if (_byTarget.TryGetValue(target, out var op)) return op;
            // Another prefix (an older API version's, or a sibling protocol's) still names the operation.
            var dot = target.LastIndexOf('.');
            return _byName.TryGetValue(target.AsSpan(dot + 1).Trim(), out op) ? op : null;
        }
    }
}
