using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Models;

namespace Nephele.Services.Tests.Gateway;

/// <summary>
/// Builds the smallest request a client of each protocol would send for an operation: enough for
/// routing to find it (labels, required query members and headers filled in, signing scope set).
/// </summary>
internal static class OperationRequests
{
    public static HttpRequestMessage For(ServiceInfo service, ServiceModel model, string protocol, OperationModel op)
    {
        HttpRequestMessage request;
        switch (protocol)
        {
            case "json":
                request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Body("{}", $"application/x-amz-json-{model.Metadata.JsonVersion}") };
                request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{model.Metadata.TargetPrefix}.{op.Name}");
                break;
            case "query" or "ec2":
                request = new HttpRequestMessage(HttpMethod.Post, "/")
                {
                    Content = Body($"Action={op.Name}&Version={model.Metadata.ApiVersion}", "application/x-www-form-urlencoded; charset=utf-8"),
                };
                break;
            case "smithy-rpc-v2-cbor":
                request = new HttpRequestMessage(HttpMethod.Post, $"/service/{model.Metadata.TargetPrefix}/operation/{op.Name}")
                {
                    Content = new ByteArrayContent([0xA0]),
                };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/cbor");
                request.Headers.TryAddWithoutValidation("smithy-protocol", "rpc-v2-cbor");
                break;
            default:
                request = Rest(op, protocol);
                break;
        }
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service.SigningName}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000");
        return request;
    }

    private static HttpRequestMessage Rest(OperationModel op, string protocol)
    {
        var input = op.Input;
        var (path, query) = Split(op.RequestUri);
        var segments = path.Split('/').Select(s => s.StartsWith('{') ? (s.EndsWith("+}", StringComparison.Ordinal) ? "x/y" : "x") : s);
        var queryParts = query.Split('&', StringSplitOptions.RemoveEmptyEntries).ToList();
        var request = new HttpRequestMessage(new HttpMethod(op.HttpMethod), "");
        foreach (var m in input?.Members ?? [])
        {
            if (!input!.Required.Contains(m.Name)) continue;
            if (m.Location == MemberLocation.QueryString) queryParts.Add($"{m.WireName}={Sample(m.Shape)}");
            if (m.Location == MemberLocation.Header) request.Headers.TryAddWithoutValidation(m.WireName, Sample(m.Shape));
        }
        request.RequestUri = new Uri(string.Join('/', segments) + (queryParts.Count > 0 ? "?" + string.Join('&', queryParts) : ""), UriKind.Relative);
        if (op.HttpMethod is "POST" or "PUT" or "PATCH")
            request.Content = protocol == "rest-json" ? Body("{}", "application/json") : new ByteArrayContent([]);
        return request;
    }

    private static string Sample(Shape shape) => shape.Type switch
    {
        ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte => "1",
        ShapeType.Boolean => "true",
        ShapeType.Timestamp => "Thu, 01 Jan 2026 00:00:00 GMT",
        _ => shape.Enum?.FirstOrDefault() ?? "x",
    };

    private static (string Path, string Query) Split(string uri) =>
        uri.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? (uri[..q], uri[(q + 1)..]) : (uri, "");

    private static StringContent Body(string text, string contentType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
