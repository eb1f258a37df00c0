using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Services.Tests;

/// <summary>Raw JSON-protocol requests (X-Amz-Target) for services whose AWS SDK package is not on the mirror.</summary>
public class JsonProtocolClient(HttpClient http, string targetPrefix, string signingName, string contentType = "application/x-amz-json-1.1",
    string region = "us-east-1")
{
    public async Task<JsonElement> Call(string operation, object body)
    {
        var (status, json) = await Send(operation, body);
        Assert.True(status == HttpStatusCode.OK, $"{operation} answered {(int)status}: {json}");
        return json;
    }

    /// <summary>Expects an error; returns its code (the __type) and message.</summary>
    public async Task<(HttpStatusCode Status, string Code, string Message)> Fail(string operation, object body)
    {
        var (status, json) = await Send(operation, body);
        Assert.NotEqual(HttpStatusCode.OK, status);
        var type = json.GetProperty("__type").GetString()!;
        var message = json.TryGetProperty("message", out var m) || json.TryGetProperty("Message", out m) ? m.GetString()! : "";
        return (status, type[(type.LastIndexOf('#') + 1)..], message);
    }

    /// <summary>Expects an error; returns its whole body (for errors with members besides the message).</summary>
    public async Task<JsonElement> FailRaw(string operation, object body)
    {
        var (status, json) = await Send(operation, body);
        Assert.NotEqual(HttpStatusCode.OK, status);
        return json;
    }

    private async Task<(HttpStatusCode, JsonElement)> Send(string operation, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, body.GetType()), Encoding.UTF8),
        };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{targetPrefix}.{operation}");
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=test/20260101/{region}/{signingName}/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!.Deserialize<JsonElement>());
    }
}
