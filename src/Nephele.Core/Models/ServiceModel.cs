using System.Text.Json;

namespace Nephele.Core.Models;

/// <summary>A botocore service model with shapes resolved and linked. Built once per service and protocol.</summary>
public sealed class ServiceModel
{
    private readonly Dictionary<string, Shape> _shapes;
    private readonly Dictionary<string, OperationModel> _operations;

    private ServiceModel(ServiceMetadata metadata, Dictionary<string, Shape> shapes, Dictionary<string, OperationModel> operations)
        => (Metadata, _shapes, _operations) = (metadata, shapes, operations);

    public ServiceMetadata Metadata { get; }
    public IReadOnlyDictionary<string, OperationModel> Operations => _operations;
    public IReadOnlyDictionary<string, Shape> Shapes => _shapes;

    public OperationModel? FindOperation(string name) => _operations.GetValueOrDefault(name);

    public Shape GetShape(string name) => _shapes.TryGetValue(name, out var shape)
        ? shape : throw new KeyNotFoundException($"Shape {name} is not in the {Metadata.ServiceId} model.");

    /// <summary>Parses a service-2.json document.</summary>
    public static ServiceModel Load(ReadOnlySpan<byte> json)
    {
        var doc = JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelDocument)
            ?? throw new InvalidDataException("Empty service model.");
        return Build(doc.Metadata, doc.Shapes, doc.Operations);
    }

    /// <summary>Builds a model from parts (the protocol test suites carry metadata, shapes and one operation each).</summary>
    public static ServiceModel Load(JsonElement metadata, JsonElement shapes, IEnumerable<JsonElement> operations)
    {
        var meta = metadata.Deserialize(ModelJsonContext.Default.MetadataDocument) ?? new MetadataDocument();
        var shapeDocs = shapes.Deserialize(ModelJsonContext.Default.DictionaryStringShapeDocument) ?? [];
        var ops = new Dictionary<string, OperationDocument>();
        foreach (var op in operations)
        {
            var doc = op.Deserialize(ModelJsonContext.Default.OperationDocument)!;
            ops[doc.Name ?? "Operation"] = doc;
        }
        return Build(meta, shapeDocs, ops);
    }

    private static ServiceModel Build(MetadataDocument meta, Dictionary<string, ShapeDocument> shapeDocs, Dictionary<string, OperationDocument> opDocs)
    {
        var metadata = new ServiceMetadata(meta);
        var shapes = new Dictionary<string, Shape>(shapeDocs.Count, StringComparer.Ordinal);
        foreach (var (name, doc) in shapeDocs)
        {
            // Members inherit flattened and timestampFormat from their target, so targets get them before any member is linked.
            shapes[name] = new Shape(name, ParseType(doc.Type, name)) { Flattened = doc.Flattened ?? false, TimestampFormat = doc.TimestampFormat };
        }
        foreach (var (name, doc) in shapeDocs)
            Link(shapes[name], doc, shapes);

        var operations = new Dictionary<string, OperationModel>(opDocs.Count, StringComparer.Ordinal);
        foreach (var (key, doc) in opDocs)
        {
            var op = new OperationModel(doc.Name ?? key)
            {
                HttpMethod = doc.Http?.Method ?? "POST",
                RequestUri = doc.Http?.RequestUri ?? "/",
                ResponseCode = doc.Http?.ResponseCode,
                Input = doc.Input is null ? null : Resolve(shapes, doc.Input.Shape),
                InputLocationName = doc.Input?.LocationName,
                InputXmlNamespace = ToNamespace(doc.Input?.XmlNamespace),
                Output = doc.Output is null ? null : Resolve(shapes, doc.Output.Shape),
                ResultWrapper = doc.Output?.ResultWrapper,
                Errors = doc.Errors?.Select(e => Resolve(shapes, e.Shape)).ToArray() ?? [],
                HostPrefix = doc.Endpoint?.HostPrefix,
                AuthType = doc.Authtype,
                Deprecated = doc.Deprecated ?? false,
            };
            operations[op.Name] = op;
        }
        return new ServiceModel(metadata, shapes, operations);
    }

    private static Shape Resolve(Dictionary<string, Shape> shapes, string name) => shapes.TryGetValue(name, out var s)
        ? s : throw new InvalidDataException($"The model refers to shape {name}, which it does not define.");

    private static void Link(Shape shape, ShapeDocument doc, Dictionary<string, Shape> shapes)
    {
        if (doc.Members is not null)
        {
            var members = doc.Members.Select(kv => ToMember(kv.Key, kv.Value, shapes)).ToArray();
            shape.Members = members;
            shape.MembersByName = members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        }
        shape.Required = doc.Required?.ToHashSet(StringComparer.Ordinal) ?? [];
        shape.Payload = doc.Payload;
        shape.Member = doc.Member is null ? null : ToMember("member", doc.Member, shapes);
        shape.Key = doc.Key is null ? null : ToMember("key", doc.Key, shapes);
        shape.Value = doc.Value is null ? null : ToMember("value", doc.Value, shapes);
        shape.Flattened = doc.Flattened ?? false;
        shape.LocationName = doc.LocationName;
        shape.TimestampFormat = doc.TimestampFormat;
        shape.Enum = doc.Enum;
        shape.Min = ToDouble(doc.Min);
        shape.Max = ToDouble(doc.Max);
        shape.Pattern = doc.Pattern;
        shape.IsException = doc.Exception == true || doc.Error is not null;
        shape.ErrorCode = doc.Error?.Code;
        shape.ErrorHttpStatus = doc.Error?.HttpStatusCode;
        shape.ErrorSenderFault = doc.Error?.SenderFault ?? doc.Fault != true;
        shape.Streaming = doc.Streaming ?? false;
        shape.RequiresLength = doc.RequiresLength ?? false;
        shape.IsEvent = doc.Event ?? false;
        shape.IsEventStream = doc.Eventstream ?? false;
        shape.IsDocument = doc.Document ?? false;
        shape.IsUnion = doc.Union ?? false;
        shape.Sensitive = doc.Sensitive ?? false;
        shape.XmlNamespace = ToNamespace(doc.XmlNamespace);
    }

    private static Member ToMember(string name, ShapeRefDocument r, Dictionary<string, Shape> shapes)
    {
        var target = Resolve(shapes, r.Shape);
        return new Member(name, target)
        {
            Location = r.Location switch
            {
                null => MemberLocation.Body,
                "header" => MemberLocation.Header,
                "headers" => MemberLocation.Headers,
                "uri" => MemberLocation.Uri,
                "querystring" => MemberLocation.QueryString,
                "statusCode" => MemberLocation.StatusCode,
                _ => MemberLocation.Body,
            },
            LocationName = r.LocationName,
            QueryName = r.QueryName,
            XmlNamespace = ToNamespace(r.XmlNamespace),
            XmlAttribute = r.XmlAttribute ?? false,
            Flattened = r.Flattened ?? target.Flattened,
            IdempotencyToken = r.IdempotencyToken ?? false,
            JsonValue = r.JsonValue ?? false,
            TimestampFormat = r.TimestampFormat ?? target.TimestampFormat,
            HostLabel = r.HostLabel ?? false,
            EventPayload = r.EventPayload ?? false,
            EventHeader = r.EventHeader ?? false,
            Streaming = r.Streaming ?? target.Streaming,
        };
    }

    private static XmlNamespace? ToNamespace(XmlNamespaceDocument? doc) => doc is null ? null : new XmlNamespace(doc.Prefix, doc.Uri);

    private static double? ToDouble(JsonElement? e) => e is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;

    private static ShapeType ParseType(string type, string name) => type switch
    {
        "structure" => ShapeType.Structure,
        "list" => ShapeType.List,
        "map" => ShapeType.Map,
        "string" => ShapeType.String,
        "integer" => ShapeType.Integer,
        "long" => ShapeType.Long,
        "short" => ShapeType.Short,
        "byte" => ShapeType.Byte,
        "float" => ShapeType.Float,
        "double" => ShapeType.Double,
        "bigInteger" or "biginteger" => ShapeType.BigInteger,
        "bigDecimal" or "bigdecimal" => ShapeType.BigDecimal,
        "boolean" => ShapeType.Boolean,
        "timestamp" => ShapeType.Timestamp,
        "blob" => ShapeType.Blob,
        _ => throw new InvalidDataException($"Shape {name} has unknown type {type}."),
    };
}

public sealed class ServiceMetadata
{
    internal ServiceMetadata(MetadataDocument d)
    {
        ApiVersion = d.ApiVersion ?? "";
        EndpointPrefix = d.EndpointPrefix ?? "";
        Protocol = d.Protocol ?? d.Protocols?.FirstOrDefault() ?? "json";
        Protocols = d.Protocols ?? [Protocol];
        JsonVersion = d.JsonVersion ?? "1.0";
        TargetPrefix = d.TargetPrefix;
        SigningName = d.SigningName ?? d.EndpointPrefix ?? "";
        ServiceId = d.ServiceId ?? d.EndpointPrefix ?? "";
        GlobalEndpoint = d.GlobalEndpoint;
        XmlNamespace = d.XmlNamespace?.Uri;
        AwsQueryCompatible = d.AwsQueryCompatible is not null;
    }

    public string ApiVersion { get; }
    public string EndpointPrefix { get; }
    /// <summary>The model's primary protocol (first of <see cref="Protocols"/>).</summary>
    public string Protocol { get; }
    public IReadOnlyList<string> Protocols { get; }
    public string JsonVersion { get; }
    public string? TargetPrefix { get; }
    public string SigningName { get; }
    public string ServiceId { get; }
    public string? GlobalEndpoint { get; }
    public string? XmlNamespace { get; }
    /// <summary>The service also answers legacy query clients' error codes (x-amzn-query-error).</summary>
    public bool AwsQueryCompatible { get; }
}
