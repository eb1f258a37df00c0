using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Services.Tests.Iam;

/// <summary>
/// Raw requests signed (in the Authorization header's credential) with a chosen access key, for services whose SDK is not
/// on the package mirror (Secrets Manager, Lambda, SNS) and for unsigned (anonymous) requests.
/// </summary>
public sealed class EnforcementClient(HttpClient http, string accessKey, string service)
{
    public sealed record Reply(HttpStatusCode Status, string Body, string? ErrorType)
    {
        public JsonElement Json => JsonNode.Parse(Body.Length == 0 ? "{}" : Body)!.Deserialize<JsonElement>();
        public string Message => Json.TryGetProperty("message", out var m) || Json.TryGetProperty(nameof(Message), out m) ? m.GetString()! : "";
    }

    /// <summary>A JSON-protocol call (X-Amz-Target).</summary>
    public Task<Reply> Json(string target, object body) => Send(HttpMethod.Post, "/", JsonSerializer.Serialize(body, body.GetType()),
        new() { ["X-Amz-Target"] = target }, "application/x-amz-json-1.1");

    /// <summary>A query-protocol call (SNS).</summary>
    public Task<Reply> Query(string action, params (string Name, string Value)[] parameters)
    {
        var form = new StringBuilder($"Action={action}");
        foreach (var (name, value) in parameters) form.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return Send(HttpMethod.Post, "/", form.ToString(), [], "application/x-www-form-urlencoded");
    }

    public async Task<Reply> Send(HttpMethod method, string path, string? body, Dictionary<string, string> headers, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        if (accessKey.Length > 0)
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : null;
        var text = await response.Content.ReadAsStringAsync();
        if (type is null && text.StartsWith('{') && JsonNode.Parse(text)?["__type"]?.GetValue<string>() is { } t) type = t[(t.LastIndexOf('#') + 1)..];
        return new Reply(response.StatusCode, text, type);
    }
}
