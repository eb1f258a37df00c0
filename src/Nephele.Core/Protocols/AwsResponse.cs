namespace Nephele.Core.Protocols;

/// <summary>A response rendered by a protocol serializer, before it is written to Kestrel.</summary>
public sealed class AwsResponse
{
    public int StatusCode { get; set; } = 200;
    public HeaderMap Headers { get; } = new();
    /// <summary>Buffered body; null when the body is <see cref="BodyStream"/> or empty.</summary>
    public byte[]? Body { get; set; }
    /// <summary>Streaming body (S3 objects, Lambda payloads, event streams); disposed after writing.</summary>
    public Stream? BodyStream { get; set; }
    public string? ContentType
    {
        get => Headers.Get("Content-Type");
        set { if (value is null) Headers.Remove("Content-Type"); else Headers.Set("Content-Type", value); }
    }
}
