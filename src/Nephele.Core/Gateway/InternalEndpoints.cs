using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nephele.Core.State;
using Nephele.Core.Time;

namespace Nephele.Core.Gateway;

/// <summary>
/// Nephele's own endpoints: health (also in LocalStack's shape, so existing tooling works), clock control
/// and reset. They are not AWS APIs and are never signed.
/// </summary>
public sealed class InternalEndpoints(NepheleOptions options, ServiceIndex index, ProviderRegistry providers, NepheleClock clock,
    IStateStore state)
{
    private static readonly DateTime ProcessStarted = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static string Version { get; } = typeof(InternalEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static bool Matches(PathString path) =>
        path.StartsWithSegments("/_nephele", StringComparison.Ordinal) || path.StartsWithSegments("/_localstack", StringComparison.Ordinal);

    public Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        return (http.Request.Method, path.TrimEnd('/')) switch
        {
            ("GET" or "HEAD", "/_nephele/health") => WriteJson(http, 200, NepheleHealth),
            ("GET" or "HEAD", "/_localstack/health") => WriteJson(http, 200, LocalStackHealth),
            ("GET", "/_nephele/clock") => WriteJson(http, 200, Clock),
            ("POST", "/_nephele/clock") => AdvanceClockAsync(http),
            ("POST", "/_nephele/reset" or "/_localstack/state/reset") => ResetAsync(http),
            _ => WriteJson(http, 404, w => w.WriteString("error", $"No internal endpoint {http.Request.Method} {path}.")),
        };
    }

    private void Clock(Utf8JsonWriter w)
    {
        w.WriteString("now", clock.GetUtcNow());
        w.WriteString("offset", System.Xml.XmlConvert.ToString(clock.Offset));
        w.WriteNumber("offsetSeconds", clock.Offset.TotalSeconds);
    }

    // {"advance": "PT1H"}: moves Nephele's clock forward; timers that fall due fire before the answer.
    private async Task AdvanceClockAsync(HttpContext http)
    {
        var text = await ReadStringPropertyAsync(http, "advance");
        if (!Iso8601Duration.TryParse(text, out var by) || by < TimeSpan.Zero)
        {
            await WriteJson(http, 400, w => w.WriteString("error", "Send {\"advance\": \"<ISO-8601 duration such as PT1H or P1DT2H>\"}; the clock only moves forward."));
            return;
        }
        clock.Advance(by);
        await WriteJson(http, 200, Clock);
    }

    // Everything, or one service: {"service": "sqs"} or ?service=sqs.
    private async Task ResetAsync(HttpContext http)
    {
        var service = http.Request.Query["service"].FirstOrDefault() ?? await ReadStringPropertyAsync(http, "service");
        if (service is not null && index.Find(service) is null)
        {
            await WriteJson(http, 400, w => w.WriteString("error", $"Unknown service {service}."));
            return;
        }
        state.Reset(service);
        await WriteJson(http, 200, w => w.WriteString("reset", service ?? "all"));
    }

    /// <summary>A string property of a JSON object body; null when the body is empty, not JSON, or lacks it.</summary>
    private static async Task<string?> ReadStringPropertyAsync(HttpContext http, string name)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        if (buffer.Length == 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray());
            return doc.RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void NepheleHealth(Utf8JsonWriter w)
    {
        w.WriteString("version", Version);
        w.WriteNumber("uptimeSeconds", Math.Round((DateTime.UtcNow - ProcessStarted).TotalSeconds, 3));
        w.WriteString("dataDir", options.Ephemeral ? null : Path.GetFullPath(options.DataDir));
        w.WriteBoolean("ephemeral", options.Ephemeral);
        w.WriteString("now", clock.GetUtcNow());
        WriteStates(w, notImplemented: "not_implemented");
        w.WriteStartObject("details");
        foreach (var (service, details) in providers.HealthDetails)
        {
            w.WriteStartObject(service);
            details.WriteHealth(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private void WriteStates(Utf8JsonWriter w, string notImplemented)
    {
        w.WriteStartObject("services");
        foreach (var s in index.Services)
            w.WriteString(s.Name, providers.StateOf(s.Name) switch
            {
                ServiceState.Running => "running",
                ServiceState.Available => "available",
                _ => notImplemented,
            });
        w.WriteEndObject();
    }

    // LocalStack's shape: {"services": {"s3": "running", ...}, "edition": ..., "version": ...}; services it
    // would not start are "disabled".
    private void LocalStackHealth(Utf8JsonWriter w)
    {
        WriteStates(w, notImplemented: "disabled");
        w.WriteString("edition", "community");
        w.WriteString("version", Version);
    }

    internal static async Task WriteJson(HttpContext http, int status, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
