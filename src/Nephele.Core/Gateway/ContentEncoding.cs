using System.IO.Compression;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// SDKs gzip large request bodies (CloudWatch PutMetricData, for one) when request compression is on.
/// The signature covers the compressed bytes, so this runs after authentication and before parsing.
/// </summary>
internal static class ContentEncoding
{
    public static async ValueTask DecodeAsync(AwsRequest request, CancellationToken ct)
    {
        var encoding = request.Headers.Get("Content-Encoding");
        if (encoding is null || !encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase)) return;
        var remaining = string.Join(",", encoding.Split(',').Select(e => e.Trim())
            .Where(e => e.Length > 0 && !e.Equals("gzip", StringComparison.OrdinalIgnoreCase)));
        if (remaining.Length == 0) request.Headers.Remove("Content-Encoding");
        else request.Headers.Set("Content-Encoding", remaining);

        var compressed = await request.ReadBodyAsync(ct).ConfigureAwait(false);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain, ct).ConfigureAwait(false);
            request.ReplaceBody(plain.ToArray());
        }
        catch (InvalidDataException)
        {
            throw new AwsException("InvalidRequest", "The request body is not valid gzip although Content-Encoding says so.", 400);
        }
    }
}
