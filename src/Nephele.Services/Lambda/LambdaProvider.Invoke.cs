using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

public sealed partial class LambdaProvider
{
    private const int MaxSyncPayload = 6 * 1024 * 1024;
    private const int MaxAsyncPayload = 1024 * 1024;

    private async ValueTask<Dictionary<string, object?>> Invoke(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var type = input.GetString("InvocationType") ?? "RequestResponse";
        if (type is not ("RequestResponse" or "Event" or "DryRun"))
            throw LambdaErrors.Constraint(type, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        var logType = input.GetString("LogType") ?? "None";
        if (logType is not ("None" or "Tail"))
            throw LambdaErrors.Constraint(logType, "logType", "Member must satisfy enum value set: [None, Tail]");
        var payload = input.GetValueOrDefault("Payload") switch
        {
            byte[] b => b,
            Stream s => await ReadAll(s, ctx.Aborted),
            _ => [],
        };
        var limit = type == "Event" ? MaxAsyncPayload : MaxSyncPayload;
        if (payload.Length > limit)
            throw new AwsException("RequestTooLargeException", $"Request must be smaller than {limit} bytes for the InvokeFunction operation", 413,
                fields: new() { ["Type"] = "User" });
        if (payload.Length > 0)
        {
            try
            {
                using var _ = JsonDocument.Parse(payload);
            }
            catch (JsonException e)
            {
                throw new AwsException("InvalidRequestContentException", $"Could not parse request body into json: {e.Message}", 400,
                    fields: new() { ["Type"] = "User" });
            }
        }

        var function = RequireFunction(f);
        var versionName = f.Qualifier ?? LambdaStore.Latest;
        if (versionName != LambdaStore.Latest && !IsVersionNumber(versionName))
        {
            var alias = _store.Alias(f.Scope, f.Name, versionName) ?? throw LambdaErrors.NotFound(f.QualifiedArn);
            versionName = Route(alias);
        }
        var version = _store.Version(f.Scope, f.Name, versionName) ?? throw LambdaErrors.NotFound(f.QualifiedArn);
        if (type == "DryRun") return new() { ["StatusCode"] = 204L };

        var runtime = _runtime.Value;
        // A runtime this machine cannot run fails before any code is unpacked.
        RuntimeCatalog.Launch(version.Runtime, "", runtime.RuntimeDirectory);
        var codeDirectory = await runtime.CodeDirectoryAsync(version.CodeSha256, version.CodeBlob);
        var spec = new FunctionSpec
        {
            Scope = f.Scope,
            Name = f.Name,
            Version = version.Version,
            Runtime = version.Runtime,
            Handler = version.Handler,
            MemorySize = version.MemorySize,
            Timeout = version.Timeout,
            Role = version.Role,
            Environment = version.Environment,
            CodeDirectory = codeDirectory,
            LogGroup = LogGroupOf(version),
            Endpoint = $"http://{ctx.Request.Host}",
            PoolKey = $"{f.Scope}/{f.Name}/{version.Version}/{version.RevisionId}",
            Launch = RuntimeCatalog.Launch(version.Runtime, codeDirectory, runtime.RuntimeDirectory),
        };
        spec = await PrepareEnvironmentAsync(spec, version, runtime);
        var clientContext = input.GetString("ClientContext") is { Length: > 0 } encoded ? DecodeClientContext(encoded) : null;
        int ReservedTotal() => _store.Functions(f.Scope).Sum(fn => fn.ReservedConcurrency ?? 0);

        if (type == "Event")
        {
            runtime.Enqueue(() => runtime.InvokeAsync(spec, payload, f.QualifiedArn, clientContext, function.ReservedConcurrency, ReservedTotal, false));
            return new() { ["StatusCode"] = 202L };
        }
        var outcome = await runtime.InvokeAsync(spec, payload, f.QualifiedArn, clientContext, function.ReservedConcurrency, ReservedTotal, logType == "Tail");
        return new()
        {
            ["StatusCode"] = 200L,
            ["Payload"] = outcome.Payload,
            ["FunctionError"] = outcome.FunctionError,
            ["LogResult"] = logType == "Tail" ? outcome.LogTail : null,
            ["ExecutedVersion"] = version.Version,
        };
    }

    /// <summary>X-Amz-Client-Context is base64 JSON; the runtime receives the JSON.</summary>
    private static string DecodeClientContext(string encoded)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw LambdaErrors.InvalidParameter("Client context must be a valid Base64-encoded JSON object.");
        }
    }

    private static async Task<byte[]> ReadAll(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
