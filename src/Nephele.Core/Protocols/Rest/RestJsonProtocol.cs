using Nephele.Core.Models;
using Nephele.Core.Protocols.EventStream;
using Nephele.Core.Protocols.Json;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// The restJson1 protocol: HTTP bindings from the model (<see cref="RestBindings"/>) with JSON bodies;
/// errors name their code in x-amzn-ErrorType and in the body.
/// </summary>
public sealed class RestJsonProtocol : IWireProtocol
{
    private const string JsonContentType = "application/json";

    private static readonly RestBodyReader ReadBody = static (shape, payload, body) => payload is null
        ? JsonValueReader.ReadStructure(shape, body, bodyMembersOnly: true)
        : JsonValueReader.ReadValue(payload, body);

    private static readonly RestBodyWriter WriteBody = static (shape, payload, value) => payload is null
        ? JsonValueWriter.WriteStructure(shape, (Dictionary<string, object?>)value, bodyMembersOnly: true)
        : JsonValueWriter.WriteValue(payload, value);

    public string Name => "rest-json";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request) => RestBindings.ResolveOperation(model, request);

    public ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
        => RestBindings.ReadAsync(model, operation, request, ReadBody, ct);

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        var response = new AwsResponse();
        response.Headers.Set("x-amzn-RequestId", requestId);
        RestBindings.Write(operation, output, response, WriteBody, JsonContentType, EventStreamMarshaller.Json);
        return response;
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var response = new AwsResponse { StatusCode = error.HttpStatus };
        response.Headers.Set("x-amzn-RequestId", requestId);
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var code = ErrorShapes.ShapeName(shape, error.Code);
        foreach (var (name, value) in error.Headers) response.Headers.Set(name, value);
        if (shape is not null) RestBindings.WriteHeaders(shape, error.Fields, response.Headers);
        response.Headers.Set("x-amzn-ErrorType", code);
        response.ContentType = JsonContentType;
        response.Body = JsonErrorBody.Write(code, error, shape, bodyMembersOnly: true);
        return response;
    }
}
