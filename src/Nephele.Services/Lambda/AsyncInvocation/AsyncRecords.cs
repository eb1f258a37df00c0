using System.Text.Json.Serialization;

namespace Nephele.Services.Lambda.AsyncInvocation;

/// <summary>
/// One asynchronous invocation waiting in Lambda's internal queue, keyed "{DueMillis:D15}-{RequestId}" so the queue
/// reads in due order. Written before Invoke answers 202 (or inside the sender's transaction for SNS, S3 ...).
/// </summary>
internal sealed class AsyncEventRecord
{
    public required string RequestId { get; init; }
    public required string FunctionName { get; init; }
    /// <summary>The qualifier invoked ($LATEST, a version or an alias); an alias is routed when the event runs.</summary>
    public string? Qualifier { get; init; }
    /// <summary>The event (JSON text; Event invocations must be JSON).</summary>
    public required string Payload { get; init; }
    public string? ClientContext { get; init; }
    public required long EnqueuedMillis { get; init; }
    public long DueMillis { get; set; }
    /// <summary>Attempts that ran the function (function errors and successes), for approximateInvokeCount.</summary>
    public int InvokeCount { get; set; }
    /// <summary>Function errors so far; retried while below the config's MaximumRetryAttempts.</summary>
    public int FunctionErrors { get; set; }
    /// <summary>Throttles and system errors so far: they are retried with back-off until the event is too old.</summary>
    public int Throttles { get; set; }
    /// <summary>The last function error: the response that goes into an on-failure record.</summary>
    public string? LastResponse { get; set; }
    public string? LastFunctionError { get; set; }
    public string? LastExecutedVersion { get; set; }
    /// <summary>Why the last attempt failed without running (throttle, missing runtime), for the dead-letter message.</summary>
    public string? LastErrorCode { get; set; }
}

/// <summary>An event invoke config, keyed "function:qualifier".</summary>
internal sealed record EventInvokeConfigRecord
{
    public required string FunctionName { get; init; }
    public required string Qualifier { get; init; }
    public int? MaximumRetryAttempts { get; init; }
    public int? MaximumEventAgeInSeconds { get; init; }
    public string? OnSuccess { get; init; }
    public string? OnFailure { get; init; }
    public required DateTimeOffset LastModified { get; init; }
}

/// <summary>An event source mapping, keyed by UUID.</summary>
internal sealed record EventSourceMappingRecord
{
    public required string Uuid { get; init; }
    public required string EventSourceArn { get; init; }
    /// <summary>The function's ARN as given (qualified or not).</summary>
    public required string FunctionArn { get; init; }
    public required int BatchSize { get; init; }
    public int MaximumBatchingWindowInSeconds { get; init; }
    public bool Enabled { get; init; } = true;
    public List<string> FunctionResponseTypes { get; init; } = [];
    public List<string> FilterPatterns { get; init; } = [];
    public int? MaximumConcurrency { get; init; }
    public string? KmsKeyArn { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    public Dictionary<string, string> Tags { get; init; } = [];
    // Stream sources (DynamoDB Streams) only.
    public string? StartingPosition { get; init; }
    public int? MaximumRetryAttempts { get; init; }
    public bool? BisectBatchOnFunctionError { get; init; }
    public int? MaximumRecordAgeInSeconds { get; init; }
    public int? ParallelizationFactor { get; init; }
    public string? OnFailureDestination { get; init; }
}

[JsonSerializable(typeof(AsyncEventRecord))]
[JsonSerializable(typeof(EventInvokeConfigRecord))]
[JsonSerializable(typeof(EventSourceMappingRecord))]
internal sealed partial class LambdaAsyncJsonContext : JsonSerializerContext;
