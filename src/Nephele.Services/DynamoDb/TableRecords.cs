using System.Text.Json.Serialization;

namespace Nephele.Services.DynamoDb;

internal sealed record KeyElement(string AttributeName, string KeyType);

internal sealed record AttributeDefinition(string AttributeName, string AttributeType);

internal sealed record Throughput
{
    public long ReadCapacityUnits { get; init; }
    public long WriteCapacityUnits { get; init; }
    public DateTimeOffset? LastIncreaseDateTime { get; init; }
    public DateTimeOffset? LastDecreaseDateTime { get; init; }
    public long NumberOfDecreasesToday { get; init; }
}

internal sealed record IndexRecord
{
    public required string IndexName { get; init; }
    public required List<KeyElement> KeySchema { get; init; }
    public required string ProjectionType { get; init; }
    public List<string>? NonKeyAttributes { get; init; }
    public Throughput? ProvisionedThroughput { get; init; }
    /// <summary>True for a global secondary index, false for a local one.</summary>
    public bool Global { get; init; }

    public string HashKey => KeySchema.First(k => k.KeyType == "HASH").AttributeName;
    public string? RangeKey => KeySchema.FirstOrDefault(k => k.KeyType == "RANGE")?.AttributeName;
}

/// <summary>A DynamoDB table's definition, stored as one row keyed by table name.</summary>
internal sealed record TableRecord
{
    public required string TableName { get; init; }
    /// <summary>Unique per creation: item rows live under it, so a re-created table starts empty.</summary>
    public required string TableId { get; init; }
    public required string TableArn { get; init; }
    public required DateTimeOffset CreationDateTime { get; init; }
    public required List<KeyElement> KeySchema { get; init; }
    public required List<AttributeDefinition> AttributeDefinitions { get; init; }
    public required string BillingMode { get; init; }
    public DateTimeOffset? LastUpdateToPayPerRequestDateTime { get; init; }
    public Throughput? ProvisionedThroughput { get; init; }
    public List<IndexRecord> GlobalSecondaryIndexes { get; init; } = [];
    public List<IndexRecord> LocalSecondaryIndexes { get; init; } = [];
    public Dictionary<string, string> Tags { get; init; } = [];
    public string? TimeToLiveAttribute { get; init; }
    public bool TimeToLiveEnabled { get; init; }
    public bool PointInTimeRecoveryEnabled { get; init; }
    public int RecoveryPeriodInDays { get; init; } = 35;
    public DateTimeOffset? PitrEnabledSince { get; init; }
    public bool DeletionProtectionEnabled { get; init; }
    public string TableClass { get; init; } = "STANDARD";
    public bool StreamEnabled { get; init; }
    public string? StreamViewType { get; init; }
    public string? LatestStreamLabel { get; init; }
    /// <summary>Encryption at rest with a KMS key (SSEType KMS); null for the AWS owned key, which DescribeTable does not show.</summary>
    public SseRecord? Sse { get; init; }
    /// <summary>Set on a table created by RestoreTableFromBackup or RestoreTableToPointInTime.</summary>
    public RestoreRecord? Restore { get; init; }

    public string HashKey => KeySchema.First(k => k.KeyType == "HASH").AttributeName;
    public string? RangeKey => KeySchema.FirstOrDefault(k => k.KeyType == "RANGE")?.AttributeName;

    public string AttributeType(string name) => AttributeDefinitions.First(a => a.AttributeName == name).AttributeType;

    public IndexRecord? Index(string name) =>
        GlobalSecondaryIndexes.FirstOrDefault(i => i.IndexName == name) ?? LocalSecondaryIndexes.FirstOrDefault(i => i.IndexName == name);

    public IEnumerable<IndexRecord> Indexes => GlobalSecondaryIndexes.Concat(LocalSecondaryIndexes);
}

internal sealed record SseRecord(string SseType, string KmsMasterKeyArn);

internal sealed record RestoreRecord(string? SourceBackupArn, string? SourceTableArn, DateTimeOffset RestoreDateTime);

/// <summary>Running item count and size of a table, updated with every item write.</summary>
internal sealed record TableStats
{
    public long ItemCount { get; init; }
    public long SizeBytes { get; init; }
    public Dictionary<string, long[]> Indexes { get; init; } = [];
}

[JsonSerializable(typeof(TableRecord))]
[JsonSerializable(typeof(TableStats))]
internal sealed partial class DynamoDbJsonContext : JsonSerializerContext;

/// <summary>A TransactWriteItems ClientRequestToken seen recently: the request it belonged to and when.</summary>
internal sealed record TransactionToken(string RequestHash, DateTimeOffset At);

[JsonSerializable(typeof(TransactionToken))]
internal sealed partial class DynamoDbTokenJsonContext : JsonSerializerContext;
