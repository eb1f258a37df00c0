using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

public sealed partial class LambdaProvider
{
    private const int MaxSyncPayload = 6 * 1024 * 1024;
    private const int MaxAsyncPayload = 1024 * 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FunctionSpec> _specs = new(StringComparer.Ordinal);

    private ValueTask<Dictionary<string, object?>> Invoke(RequestContext ctx, Dictionary<string, object?> input) => InvokeAsync(ctx, input, null);

    /// <summary>Invoke; with <paramref name="stream"/>, a streamed response is handed to it chunk by chunk as the function writes it.</summary>
    private async ValueTask<Dictionary<string, object?>> InvokeAsync(RequestContext ctx, Dictionary<string, object?> input, InvocationStream? stream)
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
                // Validates the whole document without building one.
                var reader = new Utf8JsonReader(payload);
                while (reader.Read())
                {
                }
            }
            catch (JsonException e)
            {
                throw new AwsException("InvalidRequestContentException", $"Could not parse request body into json: {e.Message}", 400,
                    fields: new() { ["Type"] = "User" });
            }
        }

        var function = RequireFunction(f);
        var version = InvokedVersion(f);
        if (type == "DryRun") return new() { ["StatusCode"] = 204L };

        // A runtime this machine cannot run fails before any code is unpacked (also for Event: nothing could ever run it).
        RuntimeCatalog.Launch(version.Runtime, "", _runtime.Value.RuntimeDirectory);
        var clientContext = input.GetString("ClientContext") is { Length: > 0 } encoded ? DecodeClientContext(encoded) : null;

        if (type == "Event")
        {
            EnqueueEvent(f, payload, clientContext, ctx.RequestId);
            return new() { ["StatusCode"] = 202L };
        }
        var spec = await SpecAsync(f, version, $"http://{ctx.Request.Host}");
        if (stream is not null) stream.ExecutedVersion = version.Version;
        var provisioned = f.Qualifier is { } qualifier && qualifier != LambdaStore.Latest ? ProvisionedKey(f.Scope, f.Name, qualifier) : null;
        var outcome = await _runtime.Value.InvokeAsync(spec, payload, f.QualifiedArn, clientContext, function.ReservedConcurrency, () => ReservedTotal(f.Scope),
            logType == "Tail", provisioned, stream);
        return new()
        {
            ["StatusCode"] = 200L,
            ["Payload"] = outcome.Payload,
            ["FunctionError"] = outcome.FunctionError,
            ["LogResult"] = logType == "Tail" ? outcome.LogTail : null,
            ["ExecutedVersion"] = version.Version,
        };
    }

    /// <summary>The version an invocation of <paramref name="f"/> runs: an alias's traffic is split by its routing weights.</summary>
    private FunctionVersionRecord InvokedVersion(FunctionRef f)
    {
        var versionName = f.Qualifier ?? LambdaStore.Latest;
        if (versionName != LambdaStore.Latest && !IsVersionNumber(versionName))
        {
            var alias = _store.Alias(f.Scope, f.Name, versionName) ?? throw LambdaErrors.NotFound(f.QualifiedArn);
            versionName = Route(alias);
        }
        return _store.Version(f.Scope, f.Name, versionName) ?? throw LambdaErrors.NotFound(f.QualifiedArn);
    }

    /// <summary>What an execution environment of this version is started with; <paramref name="endpoint"/> is Nephele's own address.</summary>
    private async Task<FunctionSpec> SpecAsync(FunctionRef f, FunctionVersionRecord version, string endpoint)
    {
        // A revision's spec never changes (a new configuration is a new RevisionId), so warm invocations reuse it.
        var key = $"{f.Scope}/{f.Name}/{version.Version}/{version.RevisionId}|{endpoint}";
        if (_specs.TryGetValue(key, out var known)) return known;
        var spec = await NewSpecAsync(f, version, endpoint);
        if (_specs.Count > 10_000) _specs.Clear();
        _specs[key] = spec;
        return spec;
    }

    private async Task<FunctionSpec> NewSpecAsync(FunctionRef f, FunctionVersionRecord version, string endpoint)
    {
        var runtime = _runtime.Value;
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
            Endpoint = endpoint,
            PoolKey = $"{f.Scope}/{f.Name}/{version.Version}/{version.RevisionId}",
            Launch = RuntimeCatalog.Launch(version.Runtime, codeDirectory, runtime.RuntimeDirectory),
        };
        return await PrepareEnvironmentAsync(spec, version, runtime);
    }

    /// <summary>What the account's unreserved pool has lost: reserved concurrency, and provisioned concurrency of functions without a reservation.</summary>
    private int ReservedTotal(Core.State.Scope scope) =>
        _store.Functions(scope).Sum(fn => fn.ReservedConcurrency ?? ProvisionedOf(scope, fn.Name));

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
