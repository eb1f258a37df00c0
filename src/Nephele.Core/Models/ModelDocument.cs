using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nephele.Core.Models;

// The botocore service-2.json format, read as-is by the source-generated serializer;
// ServiceModel resolves it into linked shapes.
internal sealed class ModelDocument
{
    public MetadataDocument Metadata { get; set; } = new();
    public Dictionary<string, OperationDocument> Operations { get; set; } = [];
    public Dictionary<string, ShapeDocument> Shapes { get; set; } = [];
}

internal sealed class MetadataDocument
{
    public string? ApiVersion { get; set; }
    public string? EndpointPrefix { get; set; }
    public string? Protocol { get; set; }
    public List<string>? Protocols { get; set; }
    public string? JsonVersion { get; set; }
    public string? TargetPrefix { get; set; }
    public string? SigningName { get; set; }
    public string? ServiceId { get; set; }
    public string? ServiceFullName { get; set; }
    public string? GlobalEndpoint { get; set; }
    public string? Uid { get; set; }
    [JsonConverter(typeof(XmlNamespaceConverter))]
    public XmlNamespaceDocument? XmlNamespace { get; set; }
    public JsonElement? AwsQueryCompatible { get; set; }
}

internal sealed class OperationDocument
{
    public string? Name { get; set; }
    public HttpDocument? Http { get; set; }
    public ShapeRefDocument? Input { get; set; }
    public ShapeRefDocument? Output { get; set; }
    public List<ShapeRefDocument>? Errors { get; set; }
    public EndpointDocument? Endpoint { get; set; }
    public string? Authtype { get; set; }
    public bool? Deprecated { get; set; }
    public JsonElement? HttpChecksum { get; set; }
}

internal sealed class HttpDocument
{
    public string? Method { get; set; }
    public string? RequestUri { get; set; }
    public int? ResponseCode { get; set; }
}

internal sealed class EndpointDocument
{
    public string? HostPrefix { get; set; }
}

internal sealed class XmlNamespaceDocument
{
    public string? Prefix { get; set; }
    public string? Uri { get; set; }
}

// A reference to a shape from an operation, a member, a list member or a map key/value;
// botocore lets it override serialization traits of the target shape.
internal class ShapeRefDocument
{
    public string Shape { get; set; } = "";
    public string? Location { get; set; }
    public string? LocationName { get; set; }
    public string? QueryName { get; set; }
    public string? ResultWrapper { get; set; }
    [JsonConverter(typeof(XmlNamespaceConverter))]
    public XmlNamespaceDocument? XmlNamespace { get; set; }
    public bool? XmlAttribute { get; set; }
    public bool? Flattened { get; set; }
    public bool? IdempotencyToken { get; set; }
    [JsonPropertyName("jsonvalue")]
    public bool? JsonValue { get; set; }
    public string? TimestampFormat { get; set; }
    public bool? HostLabel { get; set; }
    [JsonPropertyName("eventpayload")]
    public bool? EventPayload { get; set; }
    [JsonPropertyName("eventheader")]
    public bool? EventHeader { get; set; }
    public bool? Streaming { get; set; }
}

internal sealed class ShapeDocument
{
    public string Type { get; set; } = "structure";
    public Dictionary<string, ShapeRefDocument>? Members { get; set; }
    public List<string>? Required { get; set; }
    public string? Payload { get; set; }
    public ShapeRefDocument? Member { get; set; }
    public ShapeRefDocument? Key { get; set; }
    public ShapeRefDocument? Value { get; set; }
    public bool? Flattened { get; set; }
    public string? LocationName { get; set; }
    public string? TimestampFormat { get; set; }
    public List<string>? Enum { get; set; }
    public JsonElement? Min { get; set; }
    public JsonElement? Max { get; set; }
    public string? Pattern { get; set; }
    public ErrorDocument? Error { get; set; }
    public bool? Exception { get; set; }
    public bool? Fault { get; set; }
    public bool? Streaming { get; set; }
    public bool? RequiresLength { get; set; }
    public bool? Event { get; set; }
    public bool? Eventstream { get; set; }
    public bool? Document { get; set; }
    public bool? Union { get; set; }
    public bool? Sensitive { get; set; }
    [JsonConverter(typeof(XmlNamespaceConverter))]
    public XmlNamespaceDocument? XmlNamespace { get; set; }
}

internal sealed class ErrorDocument
{
    public string? Code { get; set; }
    public int? HttpStatusCode { get; set; }
    public bool? SenderFault { get; set; }
}

// botocore writes xmlNamespace either as {"uri": ...} or, on metadata, as a plain string.
internal sealed class XmlNamespaceConverter : JsonConverter<XmlNamespaceDocument?>
{
    public override XmlNamespaceDocument? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new XmlNamespaceDocument { Uri = reader.GetString() };
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        var ns = new XmlNamespaceDocument();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "prefix") ns.Prefix = reader.GetString();
            else if (name == "uri") ns.Uri = reader.GetString();
            else reader.Skip();
        }
        return ns;
    }

    public override void Write(Utf8JsonWriter writer, XmlNamespaceDocument? value, JsonSerializerOptions options)
        => throw new NotSupportedException();
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ModelDocument))]
[JsonSerializable(typeof(OperationDocument))]
[JsonSerializable(typeof(Dictionary<string, ShapeDocument>))]
[JsonSerializable(typeof(MetadataDocument))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
