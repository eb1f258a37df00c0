using System.Xml;
using Nephele.Core.Models;
using Nephele.Core.Protocols.EventStream;
using Nephele.Core.Protocols.Rest;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Core.Protocols.RestXml;

/// <summary>
/// rest-xml (S3, Route 53, CloudFront, S3 Control): HTTP bindings from <see cref="RestBindings"/>, the body
/// as XML rooted in the input/output structure or the payload member.
/// </summary>
public sealed class RestXmlProtocol : IWireProtocol
{
    private const string ContentType = "application/xml";

    private static readonly RestBodyReader ReadBody = (shape, _, body) =>
        XmlValueReader.Load(body) is { } root ? XmlValueReader.ReadStructure(root, shape) : null;

    public string Name => "rest-xml";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request) => RestBindings.ResolveOperation(model, request);

    public ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
        => RestBindings.ReadAsync(model, operation, request, ReadBody, ct);

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        var response = new AwsResponse();
        var serviceNs = RestXmlNamespaces.Default(model);
        RestBindings.Write(operation, output, response, (shape, payload, value) => payload is null
            ? WriteOutput(model, operation, shape, value, serviceNs)
            : WriteRoot(PayloadRootName(payload), payload.XmlNamespace ?? payload.Shape.XmlNamespace, serviceNs, payload.Shape, value), ContentType,
            EventStreamMarshaller.Xml);
        // A structured output without body members still answers as XML.
        if (operation.Output is { Payload: null } && response.Body is null && response.BodyStream is null && !response.Headers.Contains("Content-Type"))
            response.ContentType = ContentType;
        SetRequestId(model, response, requestId);
        return response;
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var code = ErrorShapes.QueryCode(shape, error.Code);
        var response = new AwsResponse { StatusCode = error.HttpStatus };
        if (shape is not null) RestBindings.WriteHeaders(shape, error.Fields, response.Headers);
        XmlErrorFields.CopyHeaders(response, error);
        SetRequestId(model, response, requestId);
        // A HEAD answer has no body, errors included (S3 HeadObject's bare 404).
        // 304 Not Modified carries no body either (S3's conditional GET).
        if (operation?.HttpMethod == "HEAD" || error.HttpStatus == 304) return response;

        response.ContentType = ContentType;
        if (IsS3(model))
        {
            // S3 alone answers with a bare <Error>, request id inside, no namespace.
            response.Body = XmlValueWriter.Document(w =>
            {
                w.WriteStartElement("Error");
                w.WriteElementString("Code", code);
                w.WriteElementString("Message", XmlErrorFields.Message(error));
                XmlErrorFields.Write(w, shape, error, "");
                w.WriteElementString("RequestId", requestId);
                w.WriteEndElement();
            });
            return response;
        }
        var ns = RestXmlNamespaces.Default(model) ?? "";
        response.Body = XmlValueWriter.Document(w =>
        {
            w.WriteStartElement("ErrorResponse", ns);
            w.WriteStartElement("Error", ns);
            w.WriteElementString("Type", ns, XmlErrorFields.FaultType(shape, error));
            w.WriteElementString("Code", ns, code);
            w.WriteElementString("Message", ns, XmlErrorFields.Message(error));
            XmlErrorFields.Write(w, shape, error, ns);
            w.WriteEndElement();
            w.WriteElementString("RequestId", ns, requestId);
            w.WriteEndElement();
        });
        return response;
    }

    private static bool IsS3(ServiceModel model) => model.Metadata.ServiceId == "S3";

    private static void SetRequestId(ServiceModel model, AwsResponse response, string requestId) =>
        response.Headers.Set(IsS3(model) ? "x-amz-request-id" : "x-amzn-RequestId", requestId);

    private static byte[]? WriteOutput(ServiceModel model, OperationModel operation, Shape shape, object value, string? serviceNs)
    {
        var fields = XmlValueWriter.AsStructure(value, shape);
        // S3 GetBucketLocation answers with the constraint as the root's text, empty for us-east-1.
        if (IsS3(model) && operation.Name == "GetBucketLocation")
            return XmlValueWriter.Document(w => w.WriteElementString("LocationConstraint", serviceNs, fields.GetValueOrDefault("LocationConstraint") as string ?? ""));
        var any = false;
        foreach (var m in shape.Members)
            if (XmlValueWriter.InBody(m) && fields.GetValueOrDefault(m.Name) is not null) { any = true; break; }
        if (!any) return null;
        var name = RestXmlNamespaces.OutputRoot(model, operation) ?? shape.LocationName ?? shape.Name;
        return WriteRoot(name, shape.XmlNamespace, serviceNs, shape, value);
    }

    /// <summary>
    /// The payload's root: the member's own locationName when it renames it, else the target's locationName
    /// or shape name (botocore models repeat the member name as locationName without meaning a rename).
    /// </summary>
    private static string PayloadRootName(Member payload) =>
        payload.LocationName is { } l && l != payload.Name ? l : payload.Shape.LocationName ?? payload.Shape.Name;

    private static byte[] WriteRoot(string name, XmlNamespace? ns, string? serviceNs, Shape shape, object value) =>
        XmlValueWriter.Document(w =>
        {
            var elementNs = XmlValueWriter.ElementNamespace(ns, serviceNs ?? "");
            w.WriteStartElement(name, elementNs);
            XmlValueWriter.DeclarePrefix(w, ns);
            XmlValueWriter.WriteMembers(w, shape, value, elementNs);
            w.WriteEndElement();
        });
}
