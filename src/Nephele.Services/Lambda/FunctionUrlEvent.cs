using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>
/// The HTTP side of function URLs: the payload format 2.0 event a request becomes, the HTTP response a function's
/// answer becomes (statusCode/headers/cookies/body/isBase64Encoded, or any other JSON value as a 200 JSON body),
/// and CORS as the URL's config answers it.
/// </summary>
internal static class FunctionUrlEvent
{
    public static byte[] Build(AwsRequest request, byte[] body, FunctionUrlRecord config, string accountId, CallerIdentity? caller, string requestId,
        DateTimeOffset now)
    {
        var host = request.Host;
        var domain = host.Split(':')[0];
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
        {
            var key = name.ToLowerInvariant();
            headers[key] = headers.TryGetValue(key, out var existing) ? existing + "," + value : value;
        }
        var cookies = headers.Remove("cookie", out var cookieHeader)
            ? cookieHeader.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        headers.TryAdd("x-forwarded-for", request.SourceIp ?? "127.0.0.1");
        headers.TryAdd("x-forwarded-proto", "http");
        var colon = host.LastIndexOf(':');
        headers.TryAdd("x-forwarded-port", colon > 0 ? host[(colon + 1)..] : "80");
        headers.TryAdd("x-amzn-trace-id", $"Root=1-{now.ToUnixTimeSeconds():x8}-{Guid.NewGuid().ToString("N")[..24]}");

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", "2.0");
            w.WriteString("routeKey", "$default");
            w.WriteString("rawPath", request.Path);
            w.WriteString("rawQueryString", request.QueryString);
            if (cookies.Length > 0)
            {
                w.WriteStartArray("cookies");
                foreach (var cookie in cookies) w.WriteStringValue(cookie);
                w.WriteEndArray();
            }
            w.WriteStartObject("headers");
            foreach (var (name, value) in headers) w.WriteString(name, value);
            w.WriteEndObject();
            var query = QueryParameters(request.QueryString);
            if (query.Count > 0)
            {
                w.WriteStartObject("queryStringParameters");
                foreach (var (name, value) in query) w.WriteString(name, value);
                w.WriteEndObject();
            }
            w.WriteStartObject("requestContext");
            w.WriteString("accountId", caller is null ? "anonymous" : caller.AccountId);
            w.WriteString("apiId", config.UrlId);
            if (caller is not null)
            {
                w.WriteStartObject("authorizer");
                w.WriteStartObject("iam");
                w.WriteString("accessKey", caller.AccessKeyId);
                w.WriteString("accountId", caller.AccountId);
                w.WriteString("callerId", caller.UserId);
                w.WriteNull("cognitoIdentity");
                w.WriteNull("principalOrgId");
                w.WriteString("userArn", caller.Arn);
                w.WriteString("userId", caller.UserId);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteString("domainName", domain);
            w.WriteString("domainPrefix", config.UrlId);
            w.WriteStartObject("http");
            w.WriteString("method", request.Method);
            w.WriteString("path", Uri.UnescapeDataString(request.Path));
            w.WriteString("protocol", "HTTP/1.1");
            w.WriteString("sourceIp", request.SourceIp ?? "127.0.0.1");
            w.WriteString("userAgent", request.Headers.Get("User-Agent") ?? "");
            w.WriteEndObject();
            w.WriteString("requestId", requestId);
            w.WriteString("routeKey", "$default");
            w.WriteString("stage", "$default");
            w.WriteString("time", now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
            w.WriteNumber("timeEpoch", now.ToUnixTimeMilliseconds());
            w.WriteEndObject();
            if (body.Length > 0)
            {
                var text = IsText(request.ContentType);
                w.WriteString("body", text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
                w.WriteBoolean("isBase64Encoded", !text);
            }
            else w.WriteBoolean("isBase64Encoded", false);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Decoded query parameters; repeated names are joined with commas, as in payload format 2.0.</summary>
    private static SortedDictionary<string, string> QueryParameters(string raw)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            result[name] = result.TryGetValue(name, out var existing) ? existing + "," + value : value;
        }
        return result;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static bool IsText(string? contentType)
    {
        if (contentType is null) return false;
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("json", StringComparison.Ordinal) || type.EndsWith("xml", StringComparison.Ordinal)
            || type.EndsWith("javascript", StringComparison.Ordinal) || type == "application/x-www-form-urlencoded";
    }

    /// <summary>The function's answer as an HTTP response: a statusCode object is a response; any other JSON is a 200 JSON body.</summary>
    public static async Task WriteResponseAsync(HttpContext http, byte[] payload, UrlCors? cors, AwsRequest request, string requestId)
    {
        var status = 200;
        var headers = new List<KeyValuePair<string, string>>();
        var setCookies = new List<string>();
        byte[] body;
        JsonDocument? doc = null;
        try
        {
            doc = payload.Length == 0 ? null : JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
        }
        using (doc)
        {
            var root = doc?.RootElement;
            if (root is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("statusCode", out var code))
            {
                // A statusCode that is not a valid HTTP status is the function's error, as on AWS (502).
                if (!(code.ValueKind == JsonValueKind.Number ? code.TryGetInt32(out status)
                        : int.TryParse(code.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out status)) || status is < 100 or > 599)
                {
                    await WriteMessageAsync(http, 502, "Internal Server Error");
                    return;
                }
                if (o.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
                    foreach (var p in h.EnumerateObject())
                        headers.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
                if (o.TryGetProperty("cookies", out var c) && c.ValueKind == JsonValueKind.Array)
                    setCookies.AddRange(c.EnumerateArray().Select(x => x.GetString() ?? ""));
                var text = o.TryGetProperty("body", out var b) ? b.ValueKind == JsonValueKind.String ? b.GetString()! : b.GetRawText() : "";
                var base64 = o.TryGetProperty("isBase64Encoded", out var e) && e.ValueKind == JsonValueKind.True;
                body = base64 ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
                if (!headers.Any(x => x.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase))) headers.Add(new("Content-Type", "application/json"));
            }
            else
            {
                // A value without statusCode: 200, JSON; a JSON string is the body itself.
                body = root is { ValueKind: JsonValueKind.String } s ? Encoding.UTF8.GetBytes(s.GetString()!) : payload;
                headers.Add(new("Content-Type", "application/json"));
            }
        }
        var response = http.Response;
        response.StatusCode = status;
        foreach (var (name, value) in headers) response.Headers[name] = value;
        foreach (var cookie in setCookies) response.Headers.Append("Set-Cookie", cookie);
        response.Headers["x-amzn-RequestId"] = requestId;
        if (cors is not null) AddCorsHeaders(response, cors, request);
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method)) await response.Body.WriteAsync(body, http.RequestAborted);
    }

    public static async Task WriteMessageAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (status == 403) http.Response.Headers["x-amzn-ErrorType"] = "AccessDeniedException";
        await http.Response.WriteAsync($"{{\"Message\":\"{message}\"}}", http.RequestAborted);
    }

    public static bool IsPreflight(AwsRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.Contains("Origin") && request.Headers.Contains("Access-Control-Request-Method");

    /// <summary>Answers a preflight from the config: allowed origins and methods get the CORS headers, others get none.</summary>
    public static void WritePreflight(HttpContext http, UrlCors cors, AwsRequest request)
    {
        var response = http.Response;
        response.StatusCode = 200;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var origin = AllowedOrigin(cors, request.Headers.Get("Origin"));
        var method = request.Headers.Get("Access-Control-Request-Method") ?? "";
        if (origin is null || !(cors.AllowMethods.Contains("*") || cors.AllowMethods.Contains(method, StringComparer.OrdinalIgnoreCase))) return;
        response.Headers["Access-Control-Allow-Origin"] = origin;
        response.Headers["Access-Control-Allow-Methods"] = string.Join(",", cors.AllowMethods.Contains("*") ? [method] : cors.AllowMethods);
        if (cors.AllowHeaders.Count > 0)
            response.Headers["Access-Control-Allow-Headers"] = cors.AllowHeaders.Contains("*")
                ? request.Headers.Get("Access-Control-Request-Headers") ?? "*" : string.Join(",", cors.AllowHeaders);
        if (cors.MaxAge is { } age) response.Headers["Access-Control-Max-Age"] = age.ToString(CultureInfo.InvariantCulture);
        if (cors.AllowCredentials == true) response.Headers["Access-Control-Allow-Credentials"] = "true";
        response.Headers.Vary = "Origin";
    }

    /// <summary>The URL's CORS headers replace whatever the function set, as on AWS.</summary>
    internal static void AddCorsHeaders(HttpResponse response, UrlCors cors, AwsRequest request)
    {
        if (AllowedOrigin(cors, request.Headers.Get("Origin")) is not { } origin) return;
        response.Headers["Access-Control-Allow-Origin"] = origin;
        if (cors.ExposeHeaders.Count > 0) response.Headers["Access-Control-Expose-Headers"] = string.Join(",", cors.ExposeHeaders);
        if (cors.AllowCredentials == true) response.Headers["Access-Control-Allow-Credentials"] = "true";
        response.Headers.Vary = "Origin";
    }

    private static string? AllowedOrigin(UrlCors cors, string? origin)
    {
        if (origin is null) return null;
        if (cors.AllowOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)) return origin;
        return cors.AllowOrigins.Contains("*") ? (cors.AllowCredentials == true ? origin : "*") : null;
    }
}
