using Nephele.Core.State;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// Published on the event bus after a DynamoDB write that appended stream records has committed: one event per
/// stream and write (a BatchWriteItem or TransactWriteItems carries all of its records). Consumers such as
/// Lambda event source mappings can use <see cref="DynamoDbStreamRecord.Json"/> as-is, or treat the event as a
/// wake-up and read the stream through GetRecords semantics.
/// </summary>
/// <param name="Scope">Account and region of the table.</param>
/// <param name="TableName">The table that changed.</param>
/// <param name="StreamArn">The stream the records were appended to (the table's LatestStreamArn).</param>
/// <param name="ShardId">The stream's shard (Nephele keeps one shard per stream).</param>
/// <param name="Records">The records, in sequence-number order.</param>
public sealed record DynamoDbStreamRecordsAppended(
    Scope Scope, string TableName, string StreamArn, string ShardId, IReadOnlyList<DynamoDbStreamRecord> Records);

/// <summary>One stream record.</summary>
/// <param name="EventId">The record's eventID.</param>
/// <param name="EventName">INSERT, MODIFY or REMOVE.</param>
/// <param name="SequenceNumber">The record's 21-digit sequence number.</param>
/// <param name="ApproximateCreationDateTime">When the change happened (Nephele's clock, whole seconds).</param>
/// <param name="SizeBytes">The record's size as GetRecords reports it.</param>
/// <param name="Json">
/// The record as a Lambda DynamoDB event record: eventID, eventName, eventVersion, eventSource, awsRegion,
/// dynamodb {ApproximateCreationDateTime (epoch seconds), Keys, NewImage, OldImage, SequenceNumber, SizeBytes,
/// StreamViewType}, eventSourceARN, and userIdentity for deletions by time to live.
/// </param>
public sealed record DynamoDbStreamRecord(
    string EventId, string EventName, string SequenceNumber, DateTimeOffset ApproximateCreationDateTime, long SizeBytes, string Json);
