using System.Text.Json.Serialization;
using Nephele.Services.DynamoDb;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// One DynamoDB stream (a table's stream between an enable and a disable), stored under its ARN. It outlives a
/// disable or the table's deletion by the 24-hour retention, as AWS's streams do. One shard per stream.
/// </summary>
internal sealed record StreamInfo
{
    public required string StreamArn { get; init; }
    public required string StreamLabel { get; init; }
    public required string TableName { get; init; }
    public required string TableId { get; init; }
    public required List<KeyElement> KeySchema { get; init; }
    public required string StreamViewType { get; init; }
    public required DateTimeOffset CreationRequestDateTime { get; init; }
    public required string ShardId { get; init; }
    public required string StartingSequenceNumber { get; init; }
    /// <summary>Set when the stream is disabled (or its table deleted): the shard is closed.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
    public string? EndingSequenceNumber { get; init; }
    /// <summary>The last sequence number removed by retention, so numbering continues and old positions are known trimmed.</summary>
    public string? TrimmedThrough { get; init; }

    [JsonIgnore]
    public bool Enabled => DisabledAt is null;

    /// <summary>Names the state table of this stream's records.</summary>
    [JsonIgnore]
    public string RecordsTable => $"stream-records:{TableId}:{StreamLabel}";
}

/// <summary>
/// A stream record as stored, keyed by its sequence number; images are <see cref="DynamoDb.Model.ItemCodec"/> bytes
/// (an absent image may come back as an empty array).
/// </summary>
internal sealed record StreamRecordRow
{
    public required string EventId { get; init; }
    public required string EventName { get; init; }
    public required long CreatedMillis { get; init; }
    public required byte[] Keys { get; init; }
    public byte[]? NewImage { get; init; }
    public byte[]? OldImage { get; init; }
    public required long SizeBytes { get; init; }
    /// <summary>A deletion by time to live: the record names the DynamoDB service as the actor.</summary>
    public bool ByTimeToLive { get; init; }
}

[JsonSerializable(typeof(StreamInfo))]
[JsonSerializable(typeof(StreamRecordRow))]
internal sealed partial class StreamJsonContext : JsonSerializerContext;
