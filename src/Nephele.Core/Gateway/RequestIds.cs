using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>Request ids in AWS's shapes: a UUID for most services; S3 adds its 16-hex id and an x-amz-id-2.</summary>
public static class RequestIds
{
    public static string New() => Guid.NewGuid().ToString();

    public static void Stamp(HeaderMap headers, string requestId, bool s3)
    {
        headers.Set("x-amzn-RequestId", requestId);
        if (!s3) return;
        headers.Set("x-amz-request-id", requestId.Replace("-", "", StringComparison.Ordinal)[..16].ToUpperInvariant());
        headers.Set("x-amz-id-2", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
    }
}
