namespace Nephele.Core.Models;

public sealed class OperationModel
{
    internal OperationModel(string name) => Name = name;

    /// <summary>An operation AWS has but the model lacks (see <see cref="Gateway.IUnmodeledOperations"/>): a name and a method, no shapes.</summary>
    public static OperationModel Unmodeled(string name, string httpMethod) => new(name) { HttpMethod = httpMethod };

    public string Name { get; }
    public string HttpMethod { get; internal set; } = "POST";
    public string RequestUri { get; internal set; } = "/";
    public int? ResponseCode { get; internal set; }
    public Shape? Input { get; internal set; }
    /// <summary>Traits of the input reference (rest-xml: root element name and namespace).</summary>
    public string? InputLocationName { get; internal set; }
    public XmlNamespace? InputXmlNamespace { get; internal set; }
    public Shape? Output { get; internal set; }
    /// <summary>Query protocol: the element that wraps the output inside the response element.</summary>
    public string? ResultWrapper { get; internal set; }
    public IReadOnlyList<Shape> Errors { get; internal set; } = [];
    public string? HostPrefix { get; internal set; }
    public string? AuthType { get; internal set; }
    /// <summary>Superseded by another operation on the same route (S3's GetBucketLifecycle); routing prefers the current one.</summary>
    public bool Deprecated { get; internal set; }

    /// <summary>The parsed requestUri template, for rest protocols.</summary>
    public UriTemplate Uri => _uri ??= UriTemplate.Parse(RequestUri);
    private UriTemplate? _uri;

    public override string ToString() => Name;
}
