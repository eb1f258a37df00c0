using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nephele.Core.Auth;

namespace Nephele.Services.Logs;

/// <summary>
/// `nephele logs &lt;function&gt; [--follow]`: prints a Lambda function's log group (/aws/lambda/&lt;name&gt;) from a running
/// Nephele through the Logs API (FilterLogEvents, SigV4-signed with the test credentials) and, when following,
/// keeps printing the events that arrive until cancelled (Ctrl-C).
/// </summary>
public static class LogsTail
{
    private const string AccessKey = "test";
    private const string SecretKey = "test";

    /// <returns>The exit code: 0, or 1 when Nephele does not answer or the function has no logs.</returns>
    public static async Task<int> RunAsync(Uri endpoint, string function, bool follow, TextWriter output, TextWriter errors,
        CancellationToken ct, string region = "us-east-1", TimeSpan? pollInterval = null)
    {
        var group = "/aws/lambda/" + function;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? since = null;
        var reportedMissing = false;
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            while (true)
            {
                string? token = null;
                var newest = since;
                do
                {
                    using var page = await FilterAsync(http, endpoint, region, group, since, token, ct);
                    var root = page.RootElement;
                    if (root.TryGetProperty("__type", out var type))
                    {
                        if (!(type.GetString() ?? "").EndsWith("ResourceNotFoundException", StringComparison.Ordinal))
                            throw new HttpRequestException($"Nephele answered {type.GetString()}: {Message(root)}");
                        if (!follow)
                        {
                            await errors.WriteLineAsync($"nephele: function {function} has no logs yet (no log group {group}).");
                            return 1;
                        }
                        if (!reportedMissing) await errors.WriteLineAsync($"nephele: waiting for log group {group}...");
                        reportedMissing = true;
                        break;
                    }
                    foreach (var e in root.GetProperty("events").EnumerateArray())
                    {
                        var id = e.GetProperty("eventId").GetString() ?? "";
                        if (!seen.Add(id)) continue;
                        var timestamp = e.GetProperty("timestamp").GetInt64();
                        newest = newest is { } n ? Math.Max(n, timestamp) : timestamp;
                        var time = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                        await output.WriteLineAsync($"{time} {e.GetProperty("logStreamName").GetString()} {e.GetProperty("message").GetString()?.TrimEnd('\n', '\r')}");
                    }
                    token = root.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
                }
                while (token is not null);
                await output.FlushAsync(ct);
                if (!follow) return 0;
                // The next poll starts at the newest timestamp printed; event ids keep events at that millisecond from printing twice.
                since = newest;
                await Task.Delay(pollInterval ?? TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            await errors.WriteLineAsync($"nephele: no Nephele answers at {endpoint} ({e.Message})");
            return 1;
        }
    }

    private static string Message(JsonElement error) =>
        error.TryGetProperty("message", out var m) || error.TryGetProperty("Message", out m) ? m.GetString() ?? "" : "";

    private static async Task<JsonDocument> FilterAsync(HttpClient http, Uri endpoint, string region, string group, long? since, string? token, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("logGroupName", group);
            if (since is { } s) json.WriteNumber("startTime", s);
            if (token is not null) json.WriteString("nextToken", token);
            json.WriteEndObject();
        }
        var body = buffer.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        Sign(request, endpoint, region, "Logs_20140328.FilterLogEvents", body);
        using var response = await http.SendAsync(request, ct);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
    }

    /// <summary>SigV4 for a JSON-protocol POST to /, signing content-type, host, x-amz-date and x-amz-target.</summary>
    private static void Sign(HttpRequestMessage request, Uri endpoint, string region, string target, byte[] body)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = SigV4Canonical.Sha256Hex(body);
        const string signedHeaders = "content-type;host;x-amz-date;x-amz-target";
        var canonical = new StringBuilder()
            .Append("POST\n/\n\n")
            .Append("content-type:application/x-amz-json-1.1\n")
            .Append("host:").Append(endpoint.Authority).Append('\n')
            .Append("x-amz-date:").Append(amzDate).Append('\n')
            .Append("x-amz-target:").Append(target).Append("\n\n")
            .Append(signedHeaders).Append('\n')
            .Append(payloadHash).ToString();
        var scope = $"{date}/{region}/logs/aws4_request";
        var stringToSign = SigV4Canonical.StringToSign(amzDate, scope, canonical);
        var signature = Convert.ToHexStringLower(SigV4Canonical.Sign(SigV4Canonical.SigningKey(SecretKey, date, region, "logs"), stringToSign));
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }
}
