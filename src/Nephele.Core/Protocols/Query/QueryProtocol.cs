using Nephele.Core.Models;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Core.Protocols.Query;

/// <summary>
/// AWS query (SQS, SNS, IAM, STS, CloudFormation ...): form parameters in, XML out, wrapped in
/// &lt;OpResponse&gt;&lt;OpResult&gt; with the request id in ResponseMetadata.
/// </summary>
public sealed class QueryProtocol : IWireProtocol
{
    public string Name => "query";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request) => QueryForm.ResolveOperation(model, request);

    public async ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
        => QueryInputReader.Query.Read(operation.Input, await QueryForm.ReadAsync(request, ct).ConfigureAwait(false));

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        var ns = Namespace(model);
        var body = XmlValueWriter.Document(w =>
        {
            w.WriteStartElement(operation.Name + "Response", ns);
            if (operation.Output is { } shape)
            {
                // awsQuery always wraps output in <OpResult>; every real model names it so, the Smithy suites leave it implied.
                w.WriteStartElement(operation.ResultWrapper ?? operation.Name + "Result", ns);
                XmlValueWriter.WriteMembers(w, shape, output, ns);
                w.WriteEndElement();
            }
            w.WriteStartElement("ResponseMetadata", ns);
            w.WriteElementString("RequestId", ns, requestId);
            w.WriteEndElement();
            w.WriteEndElement();
        });
        return Response(200, body, requestId);
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var ns = Namespace(model);
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var body = XmlValueWriter.Document(w =>
        {
            w.WriteStartElement("ErrorResponse", ns);
            w.WriteStartElement("Error", ns);
            w.WriteElementString("Type", ns, XmlErrorFields.FaultType(shape, error));
            w.WriteElementString("Code", ns, ErrorShapes.QueryCode(shape, error.Code));
            w.WriteElementString("Message", ns, XmlErrorFields.Message(error));
            XmlErrorFields.Write(w, shape, error, ns);
            w.WriteEndElement();
            w.WriteElementString("RequestId", ns, requestId);
            w.WriteEndElement();
        });
        var response = Response(error.HttpStatus, body, requestId);
        XmlErrorFields.CopyHeaders(response, error);
        return response;
    }

    /// <summary>The model's xmlNamespace, else the pattern every query service follows.</summary>
    public static string Namespace(ServiceModel model) =>
        model.Metadata.XmlNamespace ?? $"https://{model.Metadata.EndpointPrefix}.amazonaws.com/doc/{model.Metadata.ApiVersion}/";

    private static AwsResponse Response(int status, byte[] body, string requestId)
    {
        var response = new AwsResponse { StatusCode = status, Body = body, ContentType = "text/xml" };
        response.Headers.Set("x-amzn-RequestId", requestId);
        return response;
    }
}
