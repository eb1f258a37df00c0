using System.Text.Json.Serialization;

namespace Nephele.Services.DynamoDb;

/// <summary>An on-demand (USER) or deletion-time (SYSTEM) backup: the table's definition and statistics when it was
/// taken; its items live in their own state table ("backup:{SnapshotId}").</summary>
internal sealed record BackupRecord
{
    public required string BackupArn { get; init; }
    public required string BackupName { get; init; }
    public required string BackupType { get; init; }
    public required DateTimeOffset BackupCreationDateTime { get; init; }
    public DateTimeOffset? BackupExpiryDateTime { get; init; }
    public required long BackupSizeBytes { get; init; }
    public required long ItemCount { get; init; }
    public required string SnapshotId { get; init; }
    public required TableRecord Source { get; init; }
}

/// <summary>An ExportTableToPointInTime run and what it wrote.</summary>
internal sealed record ExportRecord
{
    public required string ExportArn { get; init; }
    public required string ExportStatus { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public required DateTimeOffset ExportTime { get; init; }
    public required string TableArn { get; init; }
    public required string TableId { get; init; }
    public string? ClientToken { get; init; }
    public required string S3Bucket { get; init; }
    public string? S3BucketOwner { get; init; }
    public string? S3Prefix { get; init; }
    public required string S3SseAlgorithm { get; init; }
    public string? S3SseKmsKeyId { get; init; }
    public required string ExportFormat { get; init; }
    public required string ExportType { get; init; }
    public string? ExportManifest { get; init; }
    public long BilledSizeBytes { get; init; }
    public long ItemCount { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureMessage { get; init; }
    public string? RequestHash { get; init; }
}

/// <summary>An ImportTable run: where it read from, the table it created, and its counts.</summary>
internal sealed record ImportRecord
{
    public required string ImportArn { get; init; }
    public required string ImportStatus { get; init; }
    public required string TableArn { get; init; }
    public string? TableId { get; init; }
    public string? ClientToken { get; init; }
    public required string S3Bucket { get; init; }
    public string? S3BucketOwner { get; init; }
    public string? S3KeyPrefix { get; init; }
    public required string InputFormat { get; init; }
    public string? CsvDelimiter { get; init; }
    public List<string>? CsvHeaderList { get; init; }
    public required string InputCompressionType { get; init; }
    /// <summary>The table TableCreationParameters described (rendered back as TableCreationParameters).</summary>
    public required TableRecord Table { get; init; }
    public required string CloudWatchLogGroupArn { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public long ProcessedSizeBytes { get; init; }
    public long ProcessedItemCount { get; init; }
    public long ImportedItemCount { get; init; }
    public long ErrorCount { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureMessage { get; init; }
    public string? RequestHash { get; init; }
}

/// <summary>A table's or stream's resource-based policy and its revision (epoch milliseconds, increasing).</summary>
internal sealed record ResourcePolicyRecord(string Policy, string RevisionId);

[JsonSerializable(typeof(BackupRecord))]
[JsonSerializable(typeof(ResourcePolicyRecord))]
[JsonSerializable(typeof(ExportRecord))]
[JsonSerializable(typeof(ImportRecord))]
internal sealed partial class DynamoDbBackupJsonContext : JsonSerializerContext;
