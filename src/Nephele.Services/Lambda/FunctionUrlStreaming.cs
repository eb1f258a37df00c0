using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Protocols;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

/// <summary>
/// RESPONSE_STREAM function URLs: the function's streamed response goes to the HTTP client chunk by chunk, flushed as it
/// arrives. With the http-integration content type (awslambda.HttpResponseStream.from), the stream starts with a JSON
/// prelude (statusCode, headers, cookies) and 8 NUL bytes; without it the body is the stream, 200, with the stream's
/// content type.
/// </summary>
internal static class FunctionUrlStreaming
{
    public const string HttpIntegration = "application/vnd.awslambda.http-integration-response";
    private const int MaxPreludeBytes = 64 * 1024;

    public static async Task WriteAsync(HttpContext http, InvocationStream stream, string contentType, UrlCors? cors, AwsRequest request, string requestId)
    {
        var response = http.Response;
        var chunks = stream.Chunks.Reader;
        byte[] rest = [];
        response.StatusCode = 200;
        if (contentType.StartsWith(HttpIntegration, StringComparison.OrdinalIgnoreCase))
        {
            // The prelude may span chunks: gather until the 8-NUL delimiter.
            using var prelude = new MemoryStream();
            var delimiter = -1;
            while (delimiter < 0 && prelude.Length <= MaxPreludeBytes && await chunks.WaitToReadAsync(http.RequestAborted))
            {
                while (chunks.TryRead(out var chunk)) prelude.Write(chunk);
                delimiter = prelude.GetBuffer().AsSpan(0, (int)prelude.Length).IndexOf(new byte[8]);
            }
            var bytes = prelude.ToArray();
            if (delimiter < 0) delimiter = bytes.Length;
            ApplyPrelude(response, bytes.AsSpan(0, delimiter));
            rest = bytes.Length > delimiter + 8 ? bytes[(delimiter + 8)..] : [];
        }
        else response.ContentType = contentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        if (cors is not null) FunctionUrlEvent.AddCorsHeaders(response, cors, request);
        await response.StartAsync(http.RequestAborted);
        if (HttpMethods.IsHead(request.Method)) return;
        if (rest.Length > 0) await response.Body.WriteAsync(rest, http.RequestAborted);
        await response.Body.FlushAsync(http.RequestAborted);
        while (await chunks.WaitToReadAsync(http.RequestAborted))
        {
            while (chunks.TryRead(out var chunk)) await response.Body.WriteAsync(chunk, http.RequestAborted);
            await response.Body.FlushAsync(http.RequestAborted);
        }
    }

    private static void ApplyPrelude(HttpResponse response, ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            if (root.TryGetProperty("statusCode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var status)
                && status is >= 100 and <= 599)
                response.StatusCode = status;
            if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
                foreach (var p in headers.EnumerateObject())
                    response.Headers[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
                foreach (var cookie in cookies.EnumerateArray())
                    response.Headers.Append("Set-Cookie", cookie.GetString() ?? "");
        }
        catch (JsonException)
        {
            // A malformed prelude: the body still streams, as 200.
        }
        if (!response.Headers.ContainsKey("Content-Type")) response.ContentType = "application/octet-stream";
    }
}
