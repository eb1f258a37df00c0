using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Lambda.AsyncInvocation;

/// <summary>
/// The invocation record Lambda sends to an on-success or on-failure destination (version 1.0): the request
/// context with its condition, the event, and the function's response.
/// </summary>
internal static class InvocationRecord
{
    public const string Success = "Success";
    public const string RetriesExhausted = "RetriesExhausted";
    public const string EventAgeExceeded = "EventAgeExceeded";

    public static string Build(AsyncEventRecord e, string functionArn, string condition, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteString("timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteStartObject("requestContext");
            w.WriteString("requestId", e.RequestId);
            w.WriteString("functionArn", functionArn);
            w.WriteString("condition", condition);
            w.WriteNumber("approximateInvokeCount", e.InvokeCount);
            w.WriteEndObject();
            w.WritePropertyName("requestPayload");
            WriteJsonOrString(w, e.Payload);
            // An event that never ran (too old before its first attempt) has no response.
            if (e.InvokeCount > 0)
            {
                w.WriteStartObject("responseContext");
                w.WriteNumber("statusCode", 200);
                w.WriteString("executedVersion", e.LastExecutedVersion ?? LambdaStore.Latest);
                if (e.LastFunctionError is { } error) w.WriteString("functionError", error);
                w.WriteEndObject();
                w.WritePropertyName("responsePayload");
                WriteJsonOrString(w, e.LastResponse ?? "null");
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Payloads are embedded as JSON when they are JSON (they nearly always are), else as a string.</summary>
    private static void WriteJsonOrString(Utf8JsonWriter w, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            doc.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            w.WriteStringValue(text);
        }
    }
}
