using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Core.Time;
using Nephele.Services.DynamoDbStreams;
using Nephele.Services.Lambda.AsyncInvocation;

namespace Nephele.Services.Lambda.EventSources;

/// <summary>
/// DynamoDB streams as event sources: batch size 1–10,000 (default 100), a starting position, and the stream
/// settings (retries, bisect, record age, on-failure destination). The poller reads the stream in sequence order
/// from a durable checkpoint, woken by <see cref="DynamoDbStreamRecordsAppended"/> rather than by polling.
/// </summary>
internal sealed partial class DynamoDbStreamEventSource(IStateStore state, EventBus bus, NepheleClock clock, SourceInvoker invoke, ILogger log) : IEventSourceKind
{
    internal IStateStore State { get; } = state;
    internal EventBus Bus { get; } = bus;
    internal NepheleClock Clock { get; } = clock;
    internal SourceInvoker Invoke { get; } = invoke;
    internal ILogger Log { get; } = log;
    internal StreamStore Streams { get; } = new(state, bus, log);

    /// <summary>Per mapping UUID: the last sequence number processed and how the last batch went; survives restarts.</summary>
    internal IResourceTable Checkpoints => State.Table("lambda", "event-source-checkpoints");

    public string ArnService => "dynamodb";

    public int DefaultBatchSize(string eventSourceArn) => 100;

    public void Validate(string eventSourceArn, int batchSize, int batchingWindow)
    {
        // 1–10,000 and the 0–300 second window are checked for every kind; streams have no further limit on them.
    }

    public bool SourceExists(string eventSourceArn) =>
        ScopeOf(eventSourceArn) is { } scope && Streams.Find(scope, eventSourceArn) is { Enabled: true };

    public IEventSourcePoller Start(Scope scope, EventSourceMappingRecord mapping) => new DynamoDbStreamPoller(this, scope, mapping);

    /// <summary>The account and region of a stream ARN (arn:aws:dynamodb:region:account:table/T/stream/LABEL).</summary>
    internal static Scope? ScopeOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[5].Contains("/stream/", StringComparison.Ordinal) ? new Scope(parts[4], parts[3]) : null;
    }

    public Checkpoint? CheckpointOf(Scope scope, string uuid) => Checkpoints.Get(scope, uuid, CheckpointJsonContext.Default.Checkpoint);

    public void Forget(Scope scope, string uuid) => Checkpoints.Delete(scope, uuid);

    /// <summary>
    /// The stream settings of a create or update (unchanged ones kept from <paramref name="current"/>), validated
    /// with AWS's messages.
    /// </summary>
    public static EventSourceMappingRecord Settings(Dictionary<string, object?> input, EventSourceMappingRecord settings, EventSourceMappingRecord? current)
    {
        var position = current?.StartingPosition;
        if (current is null)
        {
            position = input.GetString("StartingPosition")
                ?? throw LambdaErrors.InvalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
            if (position is not ("TRIM_HORIZON" or "LATEST"))
                throw position == "AT_TIMESTAMP"
                    ? LambdaErrors.InvalidParameter("Unsupported starting position for arn type: " + settings.EventSourceArn)
                    : LambdaErrors.Constraint(position, "startingPosition", "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
        }
        var retries = input.GetInt("MaximumRetryAttempts") ?? current?.MaximumRetryAttempts ?? -1;
        if (retries is < -1 or > 10_000)
            throw LambdaErrors.Constraint(retries, "maximumRetryAttempts", retries < -1 ? "Member must have value greater than or equal to -1" : "Member must have value less than or equal to 10000");
        var age = input.GetInt("MaximumRecordAgeInSeconds") ?? current?.MaximumRecordAgeInSeconds ?? -1;
        if (age is < -1 or > 604_800)
            throw LambdaErrors.Constraint(age, "maximumRecordAgeInSeconds", age < -1 ? "Member must have value greater than or equal to -1" : "Member must have value less than or equal to 604800");
        if (age is >= 0 and < 60)
            throw LambdaErrors.InvalidParameter("MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.");
        var parallel = input.GetInt("ParallelizationFactor") ?? current?.ParallelizationFactor ?? 1;
        if (parallel is < 1 or > 10)
            throw LambdaErrors.Constraint(parallel, "parallelizationFactor", parallel < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10");
        if (input.GetInt("TumblingWindowInSeconds") is > 0)
            throw LambdaErrors.InvalidParameter("Nephele does not support TumblingWindowInSeconds yet.");
        var onFailure = current?.OnFailureDestination;
        if (input.GetStruct("DestinationConfig") is { } destinations)
        {
            onFailure = destinations.GetStruct("OnFailure")?.GetString("Destination") is { Length: > 0 } d ? d : null;
            if (onFailure is not null && EventBus.ArnService(onFailure) is not ("sqs" or "sns"))
                throw LambdaErrors.InvalidParameter($"The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination={onFailure})) is invalid.");
            if (destinations.GetStruct("OnSuccess")?.GetString("Destination") is { Length: > 0 })
                throw LambdaErrors.InvalidParameter("Unsupported DestinationConfig parameter for given event source mapping type.");
        }
        return settings with
        {
            StartingPosition = position,
            MaximumRetryAttempts = retries,
            BisectBatchOnFunctionError = input.GetBool("BisectBatchOnFunctionError") ?? current?.BisectBatchOnFunctionError ?? false,
            MaximumRecordAgeInSeconds = age,
            ParallelizationFactor = parallel,
            OnFailureDestination = onFailure,
        };
    }

    /// <summary>Adds the stream fields of EventSourceMappingConfiguration.</summary>
    public void Output(Scope scope, EventSourceMappingRecord m, Dictionary<string, object?> output)
    {
        output["StartingPosition"] = m.StartingPosition;
        output["MaximumRetryAttempts"] = (long)(m.MaximumRetryAttempts ?? -1);
        output["BisectBatchOnFunctionError"] = m.BisectBatchOnFunctionError ?? false;
        output["MaximumRecordAgeInSeconds"] = (long)(m.MaximumRecordAgeInSeconds ?? -1);
        output["ParallelizationFactor"] = (long)(m.ParallelizationFactor ?? 1);
        output["DestinationConfig"] = new Dictionary<string, object?>
        {
            ["OnFailure"] = m.OnFailureDestination is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Destination"] = m.OnFailureDestination },
        };
        output["LastProcessingResult"] = CheckpointOf(scope, m.Uuid)?.LastProcessingResult ?? "No records processed";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lambda event source mapping {Uuid} failed to read {Stream}")]
    internal static partial void LogPollFailed(ILogger logger, string uuid, string stream, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda event source mapping {Uuid}: batch of {Stream} failed for good ({Condition})")]
    internal static partial void LogBatchFailed(ILogger logger, string uuid, string stream, string condition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda event source mapping {Uuid} could not send to {Destination}: {Reason}")]
    internal static partial void LogDestinationFailed(ILogger logger, string uuid, string destination, string reason);
}

/// <summary>Where a stream mapping stands: the last sequence number processed (or skipped past) and how the last batch went.</summary>
internal sealed record Checkpoint
{
    public required string After { get; init; }
    public string? LastProcessingResult { get; init; }
}

[JsonSerializable(typeof(Checkpoint))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
