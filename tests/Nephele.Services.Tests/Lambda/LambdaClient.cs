using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Raw Lambda rest-json requests (AWSSDK.Lambda is not on the package mirror).</summary>
public sealed class LambdaClient(HttpClient http)
{
    public const string Role = "arn:aws:iam::000000000000:role/lambda-role";

    public sealed record Reply(HttpStatusCode Status, Dictionary<string, string> Headers, string Body)
    {
        public JsonElement Json => JsonNode.Parse(Body.Length == 0 ? "{}" : Body)!.Deserialize<JsonElement>();
        public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
        public string ErrorCode => Header("x-amzn-ErrorType")?.Split(':')[0] ?? Json.GetProperty("__type").GetString()!;
    }

    public async Task<Reply> Send(HttpMethod method, string path, object? body = null, Dictionary<string, string>? headers = null, byte[]? raw = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (raw is not null) request.Content = new ByteArrayContent(raw);
        else if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, body.GetType()), Encoding.UTF8, "application/json");
        foreach (var (k, v) in headers ?? []) request.Headers.TryAddWithoutValidation(k, v);
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        return new Reply(response.StatusCode, all, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> Ok(HttpMethod method, string path, object? body = null)
    {
        var reply = await Send(method, path, body);
        Assert.True((int)reply.Status is >= 200 and < 300, $"{method} {path} answered {(int)reply.Status}: {reply.Body}");
        return reply.Json;
    }

    public Task<Reply> Create(string name, string runtime, string handler, byte[] zip, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["FunctionName"] = name,
            ["Runtime"] = runtime,
            ["Handler"] = handler,
            ["Role"] = Role,
            ["Code"] = new Dictionary<string, object> { ["ZipFile"] = Convert.ToBase64String(zip) },
        };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, extra.GetType()).EnumerateObject()) body[p.Name] = p.Value;
        return Send(HttpMethod.Post, "/2015-03-31/functions", body);
    }

    public async Task CreateOk(string name, string runtime, string handler, byte[] zip, object? extra = null)
    {
        var reply = await Create(name, runtime, handler, zip, extra);
        Assert.True(reply.Status == HttpStatusCode.Created, $"CreateFunction answered {(int)reply.Status}: {reply.Body}");
    }

    public Task<Reply> Invoke(string name, object? payload = null, string? qualifier = null, Dictionary<string, string>? headers = null) =>
        Send(HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations" + (qualifier is null ? "" : $"?Qualifier={qualifier}"),
            headers: headers, raw: Encoding.UTF8.GetBytes(payload is null ? "{}" : JsonSerializer.Serialize(payload, payload.GetType())));

    /// <summary>A .zip package; files named "bootstrap" are executable.</summary>
    public static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = Convert.ToInt32(name.EndsWith("bootstrap", StringComparison.Ordinal) ? "100755" : "100644", 8) << 16;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";
}
