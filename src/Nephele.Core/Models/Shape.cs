namespace Nephele.Core.Models;

public enum ShapeType
{
    Structure, List, Map, String, Integer, Long, Short, Byte, Float, Double, BigInteger, BigDecimal,
    Boolean, Timestamp, Blob,
}

public enum MemberLocation { Body, Header, Headers, Uri, QueryString, StatusCode }

/// <summary>A resolved shape of a service model. Immutable once the model is loaded.</summary>
public sealed class Shape
{
    internal Shape(string name, ShapeType type) => (Name, Type) = (name, type);

    public string Name { get; }
    public ShapeType Type { get; }
    /// <summary>Structure members in model order.</summary>
    public IReadOnlyList<Member> Members { get; internal set; } = [];
    public IReadOnlyDictionary<string, Member> MembersByName { get; internal set; } = new Dictionary<string, Member>();
    public IReadOnlySet<string> Required { get; internal set; } = new HashSet<string>();
    /// <summary>The member bound to the HTTP body in rest protocols.</summary>
    public string? Payload { get; internal set; }
    /// <summary>List member, or map key and value.</summary>
    public Member? Member { get; internal set; }
    public Member? Key { get; internal set; }
    public Member? Value { get; internal set; }
    public bool Flattened { get; internal set; }
    public string? LocationName { get; internal set; }
    public string? TimestampFormat { get; internal set; }
    public IReadOnlyList<string>? Enum { get; internal set; }
    public double? Min { get; internal set; }
    public double? Max { get; internal set; }
    public string? Pattern { get; internal set; }
    public bool IsException { get; internal set; }
    public string? ErrorCode { get; internal set; }
    public int? ErrorHttpStatus { get; internal set; }
    public bool ErrorSenderFault { get; internal set; }
    public bool Streaming { get; internal set; }
    public bool RequiresLength { get; internal set; }
    public bool IsEvent { get; internal set; }
    public bool IsEventStream { get; internal set; }
    public bool IsDocument { get; internal set; }
    public bool IsUnion { get; internal set; }
    public bool Sensitive { get; internal set; }
    public XmlNamespace? XmlNamespace { get; internal set; }

    public bool IsNumber => Type is ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte
        or ShapeType.Float or ShapeType.Double or ShapeType.BigInteger or ShapeType.BigDecimal;

    public bool IsInteger => Type is ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte or ShapeType.BigInteger;

    public Member? FindMember(string name) => MembersByName.GetValueOrDefault(name);

    public override string ToString() => $"{Name} ({Type})";
}

public sealed record XmlNamespace(string? Prefix, string? Uri);

/// <summary>
/// A member of a structure (or the element of a list, key/value of a map): the target shape plus
/// the serialization traits botocore lets the reference override.
/// </summary>
public sealed class Member
{
    internal Member(string name, Shape shape) => (Name, Shape) = (name, shape);

    public string Name { get; }
    public Shape Shape { get; }
    public MemberLocation Location { get; internal set; }
    /// <summary>Wire name from the reference (header name, query key, XML element, JSON key ...).</summary>
    public string? LocationName { get; internal set; }
    public string? QueryName { get; internal set; }
    public XmlNamespace? XmlNamespace { get; internal set; }
    public bool XmlAttribute { get; internal set; }
    /// <summary>Flattened on the reference or on the target shape.</summary>
    public bool Flattened { get; internal set; }
    public bool IdempotencyToken { get; internal set; }
    public bool JsonValue { get; internal set; }
    /// <summary>Timestamp format on the reference, else on the target shape; null means the protocol default.</summary>
    public string? TimestampFormat { get; internal set; }
    public bool HostLabel { get; internal set; }
    public bool EventPayload { get; internal set; }
    public bool EventHeader { get; internal set; }
    /// <summary>A streaming blob (S3 bodies, Lambda payloads): on the reference or on the target shape.</summary>
    public bool Streaming { get; internal set; }

    /// <summary>The name on the wire: the reference's locationName, else the member name.</summary>
    public string WireName => LocationName ?? Name;

    public override string ToString() => $"{Name}: {Shape.Name}";
}
