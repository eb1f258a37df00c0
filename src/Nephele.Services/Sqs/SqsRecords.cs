using System.Text.Json.Serialization;

namespace Nephele.Services.Sqs;

/// <summary>A queue as stored: its settable attributes as AWS spells them, tags, and timestamps (epoch seconds).</summary>
internal sealed class QueueRecord
{
    public required string Name { get; init; }
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    public long CreatedTimestamp { get; init; }
    public long LastModifiedTimestamp { get; set; }
    /// <summary>Epoch milliseconds of the last PurgeQueue, for AWS's one-purge-per-60-seconds rule.</summary>
    public long LastPurgeMillis { get; set; }

    public bool IsFifo => Name.EndsWith(".fifo", StringComparison.Ordinal);
}

/// <summary>One message as stored; every timer is an epoch-millisecond deadline read against Nephele's clock.</summary>
internal sealed class MessageRecord
{
    public required string MessageId { get; init; }
    public required string Body { get; init; }
    public required string Md5OfBody { get; init; }
    public string? Md5OfMessageAttributes { get; init; }
    public List<MessageAttribute> MessageAttributes { get; init; } = [];
    public string? SenderId { get; init; }
    /// <summary>The X-Ray trace header, the one system attribute a sender may set.</summary>
    public string? AwsTraceHeader { get; init; }
    public string? Md5OfMessageSystemAttributes { get; init; }
    public string? MessageGroupId { get; init; }
    public string? MessageDeduplicationId { get; init; }
    /// <summary>FIFO only: increasing within the queue, as AWS's SequenceNumber.</summary>
    public string? SequenceNumber { get; set; }
    public long SentMillis { get; init; }
    /// <summary>The message is delivered only when Nephele's clock reaches this (delay, then visibility timeout).</summary>
    public long VisibleAtMillis { get; set; }
    public int ReceiveCount { get; set; }
    public long FirstReceiveMillis { get; set; }
    /// <summary>Changes on every receive, so only the latest receipt handle can change visibility.</summary>
    public string ReceiptNonce { get; set; } = "";
    /// <summary>Set while the message sits in a dead-letter queue: the queue it came from, where a move task returns it.</summary>
    public string? DeadLetterSourceArn { get; set; }
}

internal sealed class MessageAttribute
{
    public required string Name { get; init; }
    public required string DataType { get; init; }
    public string? StringValue { get; init; }
    public byte[]? BinaryValue { get; init; }

    /// <summary>The data type's base (Binary.jpeg is Binary) decides the transport, not which value is set.</summary>
    [JsonIgnore]
    public bool IsBinary => DataType.StartsWith("Binary", StringComparison.Ordinal);
}

/// <summary>A FIFO deduplication id seen recently: sends with the same id until the deadline are accepted but dropped.</summary>
internal sealed class DeduplicationRecord
{
    public required string MessageId { get; init; }
    public string? SequenceNumber { get; init; }
    public long ExpiresMillis { get; init; }
}

/// <summary>A message move task (dead-letter queue redrive), keyed under its source queue in start order.</summary>
internal sealed class MoveTaskRecord
{
    public required string TaskId { get; init; }
    public required string SourceArn { get; init; }
    public string? DestinationArn { get; init; }
    public int? MaxNumberOfMessagesPerSecond { get; init; }
    /// <summary>RUNNING, COMPLETED, CANCELLED or FAILED.</summary>
    public string Status { get; set; } = "RUNNING";
    public long Moved { get; set; }
    public long ToMove { get; init; }
    public string? FailureReason { get; set; }
    public long StartedMillis { get; init; }
}

[JsonSerializable(typeof(MoveTaskRecord))]
[JsonSerializable(typeof(DeduplicationRecord))]
[JsonSerializable(typeof(QueueRecord))]
[JsonSerializable(typeof(MessageRecord))]
internal sealed partial class SqsJsonContext : JsonSerializerContext;
