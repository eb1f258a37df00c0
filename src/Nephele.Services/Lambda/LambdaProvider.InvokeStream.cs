using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

/// <summary>
/// InvokeWithResponseStream: the invocation's response as an event stream of PayloadChunk events and a final
/// InvokeComplete (with ErrorCode/ErrorDetails for a function error and LogResult for LogType Tail). A function that
/// streams (Runtime API streaming mode, awslambda.streamifyResponse in Node.js) has each chunk sent as it writes it; a
/// function that answers buffered has its payload sent once it ends, in 64 KB chunks, as on AWS.
/// </summary>
public sealed partial class LambdaProvider
{
    private const int StreamChunkBytes = 64 * 1024;

    private async ValueTask<Dictionary<string, object?>> InvokeWithResponseStream(RequestContext ctx, Dictionary<string, object?> input)
    {
        var type = input.GetString("InvocationType") ?? "RequestResponse";
        if (type is not ("RequestResponse" or "DryRun"))
            throw LambdaErrors.Constraint(type, "invocationType", "Member must satisfy enum value set: [RequestResponse, DryRun]");
        var stream = new InvocationStream();
        var invoking = InvokeAsync(ctx, input, stream).AsTask();
        await Task.WhenAny(stream.Started.Task, invoking);
        if (invoking.IsCompleted)
        {
            var output = await invoking;
            var result = new Dictionary<string, object?> { ["StatusCode"] = output.GetValueOrDefault("StatusCode"), ["ExecutedVersion"] = output.GetString("ExecutedVersion") };
            if (type == "DryRun") return result;
            // A function that streamed only an error (or nothing) before ending: its chunks are still in the channel.
            result["EventStream"] = Events(stream, output);
            return result;
        }
        return new()
        {
            ["StatusCode"] = 200L,
            ["ExecutedVersion"] = stream.ExecutedVersion,
            ["EventStream"] = StreamedEvents(stream, invoking),
        };
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> StreamedEvents(InvocationStream stream, Task<Dictionary<string, object?>> invoking)
    {
        await foreach (var chunk in stream.Chunks.Reader.ReadAllAsync())
            yield return new() { ["PayloadChunk"] = new Dictionary<string, object?> { ["Payload"] = chunk } };
        var output = await invoking;
        yield return new() { ["InvokeComplete"] = Complete(output) };
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> Events(InvocationStream stream, Dictionary<string, object?> output)
    {
        while (stream.Chunks.Reader.TryRead(out var chunk))
            yield return new() { ["PayloadChunk"] = new Dictionary<string, object?> { ["Payload"] = chunk } };
        await Task.CompletedTask;
        if (output.GetString("FunctionError") is null)
        {
            var payload = output.GetValueOrDefault("Payload") as byte[] ?? [];
            for (var offset = 0; offset < payload.Length; offset += StreamChunkBytes)
                yield return new() { ["PayloadChunk"] = new Dictionary<string, object?> { ["Payload"] = payload[offset..Math.Min(payload.Length, offset + StreamChunkBytes)] } };
        }
        yield return new() { ["InvokeComplete"] = Complete(output) };
    }

    private static Dictionary<string, object?> Complete(Dictionary<string, object?> output)
    {
        var complete = new Dictionary<string, object?>();
        if (output.GetString("FunctionError") is not null)
            (complete["ErrorCode"], complete["ErrorDetails"]) = ErrorOf(output.GetValueOrDefault("Payload") as byte[] ?? []);
        if (output.GetString("LogResult") is { } log) complete["LogResult"] = log;
        return complete;
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
