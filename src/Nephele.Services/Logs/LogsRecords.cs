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
