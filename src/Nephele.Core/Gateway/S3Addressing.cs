using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// S3's virtual-hosted-style addressing: "bucket.s3.localhost.localstack.cloud" or "bucket.localhost"
/// name the bucket in the Host; the gateway moves it into the path so one rest-xml model serves both styles.
/// </summary>
public static class S3Addressing
{
    private static readonly string[] S3HostMarkers = [".s3.", ".s3-website.", ".s3-control."];

    public static bool IsVirtualHost(string host) => BucketFromHost(host) is not null;

    /// <summary>The bucket named by the Host header, or null for path-style requests.</summary>
    public static string? BucketFromHost(string host)
    {
        var h = StripPort(host);
        foreach (var marker in S3HostMarkers)
        {
            var i = h.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (i > 0 && marker != ".s3-control.") return h[..i];
        }
        // "bucket.localhost" — but not "localhost" itself nor service hosts like "sqs.us-east-1.localhost.localstack.cloud".
        if (h.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) && h.IndexOf('.') == h.Length - ".localhost".Length)
            return h[..^".localhost".Length];
        return null;
    }

    public static bool IsS3ControlRequest(AwsRequest request) =>
        request.Headers.Contains("x-amz-account-id") || StripPort(request.Host).Contains(".s3-control.", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWith("/v20180820/", StringComparison.Ordinal);

    /// <summary>Rewrites a virtual-hosted request to path style.</summary>
    public static void ToPathStyle(AwsRequest request)
    {
        if (BucketFromHost(request.Host) is { } bucket)
            request.Path = "/" + Uri.EscapeDataString(bucket) + (request.Path == "/" ? "" : request.Path);
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.EndsWith(']') ? host[..colon] : host;
    }
}
