using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// Picks the wire protocol per request among those the service speaks: SQS answers JSON and query
/// clients, CloudWatch CBOR, JSON and query, on the same resources.
/// </summary>
public static class ProtocolSelector
{
    public static string Select(ServiceInfo service, AwsRequest request)
    {
        var protocols = service.Protocols;
        if (protocols.Count == 1) return protocols[0];
        if (protocols.Contains("smithy-rpc-v2-cbor") && request.Headers.Get("smithy-protocol") == "rpc-v2-cbor")
            return "smithy-rpc-v2-cbor";
        var contentType = request.ContentType ?? "";
        if (protocols.Contains("json") && (contentType.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Contains("X-Amz-Target")))
            return "json";
        if (protocols.Contains("query") && (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || request.Query.Contains("Action")))
            return "query";
        return protocols[0];
    }
}
