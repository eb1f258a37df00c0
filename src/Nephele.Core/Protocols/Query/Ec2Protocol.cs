using Nephele.Core.Models;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Core.Protocols.Query;

/// <summary>
/// The EC2 dialect of query: queryName/capitalized parameter names and flattened lists in; output members
/// directly in &lt;OpResponse&gt; next to requestId; errors in &lt;Response&gt;&lt;Errors&gt;.
/// </summary>
public sealed class Ec2Protocol : IWireProtocol
{
    private const string ContentType = "text/xml;charset=UTF-8";

    public string Name => "ec2";

    public OperationModel? ResolveOperation(ServiceModel model, AwsRequest request) => QueryForm.ResolveOperation(model, request);

    public async ValueTask<Dictionary<string, object?>> ParseAsync(ServiceModel model, OperationModel operation, AwsRequest request, CancellationToken ct = default)
        => QueryInputReader.Ec2.Read(operation.Input, await QueryForm.ReadAsync(request, ct).ConfigureAwait(false));

    public AwsResponse Serialize(ServiceModel model, OperationModel operation, Dictionary<string, object?> output, string requestId)
    {
        // EC2 answers in its own versioned namespace with a trailing slash; the model's lacks the slash.
        var ns = $"http://ec2.amazonaws.com/doc/{model.Metadata.ApiVersion}/";
        var body = XmlValueWriter.Document(w =>
        {
            w.WriteStartElement(operation.Name + "Response", ns);
            w.WriteElementString("requestId", ns, requestId);
            if (operation.Output is { } shape) XmlValueWriter.WriteMembers(w, shape, output, ns);
            w.WriteEndElement();
        });
        return new AwsResponse { StatusCode = 200, Body = body, ContentType = ContentType };
    }

    public AwsResponse SerializeError(ServiceModel model, OperationModel? operation, AwsException error, string requestId)
    {
        var shape = ErrorShapes.Find(model, operation, error.Code);
        var body = XmlValueWriter.Document(w =>
        {
            w.WriteStartElement("Response");
            w.WriteStartElement("Errors");
            w.WriteStartElement("Error");
            w.WriteElementString("Code", ErrorShapes.QueryCode(shape, error.Code));
            w.WriteElementString("Message", XmlErrorFields.Message(error));
            XmlErrorFields.Write(w, shape, error, "");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("RequestID", requestId);
            w.WriteEndElement();
        });
        var response = new AwsResponse { StatusCode = error.HttpStatus, Body = body, ContentType = ContentType };
        XmlErrorFields.CopyHeaders(response, error);
        return response;
    }
}
