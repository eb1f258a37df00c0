using System.Text;
using System.Threading.Channels;
using Nephele.Core.State;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>Everything needed to start an execution environment of one function version.</summary>
internal sealed record FunctionSpec
{
    public required Scope Scope { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Runtime { get; init; }
    public required string Handler { get; init; }
    public required int MemorySize { get; init; }
    public required int Timeout { get; init; }
    public required string Role { get; init; }
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    public required string CodeDirectory { get; init; }
    public required string LogGroup { get; init; }
    /// <summary>Nephele's own address, for AWS_ENDPOINT_URL.</summary>
    public required string Endpoint { get; init; }
    /// <summary>Environments are reused only for the same version and revision of the configuration.</summary>
    public required string PoolKey { get; init; }
    public required RuntimeLaunch Launch { get; init; }
    /// <summary>The function's layers unpacked (what /opt is on AWS); null without layers.</summary>
    public string? OptDirectory { get; init; }
    /// <summary>AWS_LAMBDA_INITIALIZATION_TYPE: on-demand, or provisioned-concurrency for pre-initialized environments.</summary>
    public string InitializationType { get; init; } = "on-demand";
}

/// <summary>
/// A caller that takes a streamed response as it comes (InvokeWithResponseStream, RESPONSE_STREAM function URLs): the
/// response's content type once the function starts streaming, then its chunks. Completed when the invocation ends.
/// </summary>
internal sealed class InvocationStream
{
    public Channel<byte[]> Chunks { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The version the invocation runs (an alias is routed before it starts), for X-Amz-Executed-Version.</summary>
    public string? ExecutedVersion { get; set; }
}

/// <summary>One invocation handed to an environment through GET /next.</summary>
internal sealed class Invocation(string requestId, byte[] payload, string invokedArn, string? clientContext, InvocationStream? stream = null)
{
    public InvocationStream? Stream { get; } = stream;
    public string RequestId { get; } = requestId;
    public byte[] Payload { get; } = payload;
    public string InvokedArn { get; } = invokedArn;
    public string? ClientContext { get; } = clientContext;
    public TaskCompletionSource<InvocationResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What an invocation produced: the response payload, or an error payload with its function error kind.</summary>
internal sealed record InvocationResult(byte[] Payload, string? FunctionError = null, bool EnvironmentDead = false)
{
    public static InvocationResult Error(string errorType, string message, bool dead = false) =>
        new(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new ErrorPayload(errorType, message), RuntimeJsonContext.Default.ErrorPayload)),
            "Unhandled", dead);
}

/// <summary>The result of Invoke as the API reports it, with the invocation's log lines.</summary>
internal sealed record InvokeOutcome(byte[] Payload, string? FunctionError, string LogTail);

internal sealed record ErrorPayload(
    [property: System.Text.Json.Serialization.JsonPropertyName("errorType")] string ErrorType,
    [property: System.Text.Json.Serialization.JsonPropertyName("errorMessage")] string ErrorMessage);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorPayload))]
internal sealed partial class RuntimeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
