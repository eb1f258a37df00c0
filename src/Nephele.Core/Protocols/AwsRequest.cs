using System.Text;

namespace Nephele.Core.Protocols;

/// <summary>
/// An HTTP request as the protocol layer sees it, independent of Kestrel so that protocol code can be
/// driven by test data. Path and query are as sent (percent-encoded).
/// </summary>
public sealed class AwsRequest
{
    public string Method { get; init; } = "POST";
    /// <summary>Raw (still percent-encoded) path, starting with '/'.</summary>
    public string Path { get; set; } = "/";
    /// <summary>Raw query string without the leading '?'.</summary>
    public string QueryString { get; init; } = "";
    public string Host { get; init; } = "localhost";
    /// <summary>The client's address (aws:SourceIp).</summary>
    public string? SourceIp { get; init; }
    public HeaderMap Headers { get; init; } = new();
    /// <summary>The body; streaming operations read it once, others use <see cref="ReadBodyAsync"/>.</summary>
    public Stream Body { get; set; } = Stream.Null;

    private byte[]? _body;
    private QueryMap? _query;

    public QueryMap Query => _query ??= QueryMap.Parse(QueryString);

    public string? ContentType => Headers.Get("Content-Type");

    /// <summary>The whole body, buffered once.</summary>
    public async ValueTask<byte[]> ReadBodyAsync(CancellationToken ct = default)
    {
        if (_body is not null) return _body;
        if (Body is MemoryStream ms && ms.Position == 0) return _body = ms.ToArray();
        using var buffer = new MemoryStream();
        await Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        _body = buffer.ToArray();
        Body = new MemoryStream(_body, writable: false);
        return _body;
    }

    /// <summary>Replaces the body with decoded bytes (e.g. after gzip), keeping it buffered.</summary>
    public void ReplaceBody(byte[] body)
    {
        _body = body;
        Body = new MemoryStream(body, writable: false);
    }

    /// <summary>The buffered body; only valid after <see cref="ReadBodyAsync"/>.</summary>
    public byte[] BodyBytes => _body ?? throw new InvalidOperationException("The body has not been read yet.");

    public static AwsRequest FromBytes(string method, string pathAndQuery, byte[] body, HeaderMap headers, string host = "localhost")
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = new AwsRequest
        {
            Method = method,
            Path = q < 0 ? pathAndQuery : pathAndQuery[..q],
            QueryString = q < 0 ? "" : pathAndQuery[(q + 1)..],
            Headers = headers,
            Host = host,
            Body = new MemoryStream(body, writable: false),
        };
        request._body = body;
        return request;
    }

    public string BodyText => Encoding.UTF8.GetString(BodyBytes);
}
