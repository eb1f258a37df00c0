using System.Text.Json.Serialization;

namespace Nephele.Services.Logs;

/// <summary>A log group, keyed by its name. Times are epoch milliseconds, as the Logs API speaks them.</summary>
internal sealed record LogGroupRecord
{
    public required string Name { get; init; }
    public required long CreationTime { get; init; }
    public int? RetentionInDays { get; init; }
    public string? KmsKeyId { get; init; }
    public string LogGroupClass { get; init; } = "STANDARD";
    public bool DeletionProtectionEnabled { get; init; }
    public Dictionary<string, string> Tags { get; init; } = [];
    public List<MetricFilterRecord> MetricFilters { get; init; } = [];
    public List<SubscriptionFilterRecord> SubscriptionFilters { get; init; } = [];
}

/// <summary>A metric filter of a group (AWS allows 100 per group).</summary>
internal sealed record MetricFilterRecord
{
    public required string Name { get; init; }
    public required string Pattern { get; init; }
    public required List<MetricTransformationRecord> Transformations { get; init; }
    public required long CreationTime { get; init; }
}

internal sealed record MetricTransformationRecord
{
    public required string MetricName { get; init; }
    public required string MetricNamespace { get; init; }
    public required string MetricValue { get; init; }
    public double? DefaultValue { get; init; }
    public Dictionary<string, string>? Dimensions { get; init; }
    public string? Unit { get; init; }
}

/// <summary>A subscription filter of a group (AWS allows 2 per group): matching events go to the destination.</summary>
internal sealed record SubscriptionFilterRecord
{
    public required string Name { get; init; }
    public required string Pattern { get; init; }
    public required string DestinationArn { get; init; }
    public string? RoleArn { get; init; }
    public string Distribution { get; init; } = "ByLogStream";
    public required long CreationTime { get; init; }
}

/// <summary>A log stream, keyed by "group:stream" (':' cannot occur in a group name).</summary>
internal sealed record LogStreamRecord
{
    public required string Group { get; init; }
    public required string Name { get; init; }
    public required long CreationTime { get; init; }
    public long? FirstEventTimestamp { get; init; }
    public long? LastEventTimestamp { get; init; }
    public long? LastIngestionTime { get; init; }
    public long StoredBytes { get; init; }
    /// <summary>Events ever written; orders events with equal timestamps and makes the sequence token.</summary>
    public long NextSequence { get; init; }
}

/// <summary>One event, keyed by "group:stream:" + timestamp and sequence (fixed width, so keys sort by time).</summary>
internal sealed record LogEventRow
{
    public required long Timestamp { get; init; }
    public required string Message { get; init; }
    public required long IngestionTime { get; init; }
}

[JsonSerializable(typeof(LogGroupRecord))]
[JsonSerializable(typeof(LogStreamRecord))]
[JsonSerializable(typeof(LogEventRow))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
