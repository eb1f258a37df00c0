using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>
/// InvokeWithResponseStream: the invocation's response as an event stream of PayloadChunk events and a final
/// InvokeComplete (with ErrorCode/ErrorDetails for a function error and LogResult for LogType Tail). Functions answer
/// through the buffered Runtime API response, so the payload arrives as one chunk, as it does on AWS for a function
/// that does not stream.
/// </summary>
public sealed partial class LambdaProvider
{
    private const int StreamChunkBytes = 64 * 1024;

    private async ValueTask<Dictionary<string, object?>> InvokeWithResponseStream(RequestContext ctx, Dictionary<string, object?> input)
    {
        var type = input.GetString("InvocationType") ?? "RequestResponse";
        if (type is not ("RequestResponse" or "DryRun"))
            throw LambdaErrors.Constraint(type, "invocationType", "Member must satisfy enum value set: [RequestResponse, DryRun]");
        var output = await Invoke(ctx, input);
        var result = new Dictionary<string, object?> { ["StatusCode"] = output.GetValueOrDefault("StatusCode"), ["ExecutedVersion"] = output.GetString("ExecutedVersion") };
        if (type == "DryRun") return result;
        result["EventStream"] = Events(output.GetValueOrDefault("Payload") as byte[] ?? [], output.GetString("FunctionError"), output.GetString("LogResult"));
        return result;
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> Events(byte[] payload, string? functionError, string? logResult)
    {
        await Task.CompletedTask;
        var complete = new Dictionary<string, object?>();
        if (functionError is not null)
        {
            (complete["ErrorCode"], complete["ErrorDetails"]) = ErrorOf(payload);
        }
        else
        {
            for (var offset = 0; offset < payload.Length; offset += StreamChunkBytes)
                yield return new() { ["PayloadChunk"] = new Dictionary<string, object?> { ["Payload"] = payload[offset..Math.Min(payload.Length, offset + StreamChunkBytes)] } };
        }
        if (logResult is not null) complete["LogResult"] = logResult;
        yield return new() { ["InvokeComplete"] = complete };
    }

    private static (string Code, string Details) ErrorOf(byte[] payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
                return (root.TryGetProperty("errorType", out var t) ? t.GetString() ?? "Unhandled" : "Unhandled",
                    root.TryGetProperty("errorMessage", out var m) ? m.GetString() ?? "" : System.Text.Encoding.UTF8.GetString(payload));
        }
        catch (JsonException)
        {
        }
        return ("Unhandled", System.Text.Encoding.UTF8.GetString(payload));
    }
}
