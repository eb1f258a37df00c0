using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>GetShardIterator and GetRecords.</summary>
public sealed partial class DynamoDbStreamsProvider
{
    private const int MaxRecords = 1000;
    private const long MaxResponseBytes = 1024 * 1024;
    private static readonly string[] IteratorTypes = ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"];

    private Dictionary<string, object?> GetShardIterator(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("StreamArn");
        var shardId = input.RequireString("ShardId");
        var type = input.RequireString("ShardIteratorType");
        if (!IteratorTypes.Contains(type))
            throw AwsException.Validation($"1 validation error detected: Value '{type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", IteratorTypes)}]");
        var stream = Require(ctx, arn);
        RequireShard(stream, shardId);
        var floor = Floor(stream);
        string after;
        switch (type)
        {
            case "TRIM_HORIZON":
                after = floor;
                break;
            case "LATEST":
                after = _streams.LastSequence(ctx.Scope, stream) ?? floor;
                break;
            default:
                var text = input.GetString("SequenceNumber")
                    ?? throw AwsException.Validation($"Sequence number must be specified for shard iterator type {type}");
                var position = SequenceNumbers.Position(text) ?? throw AwsException.Validation($"Invalid SequenceNumber: {text}");
                if (type == "AT_SEQUENCE_NUMBER")
                {
                    if (string.CompareOrdinal(position, floor) <= 0) throw Trimmed(text, shardId);
                    after = SequenceNumbers.Previous(position);
                }
                else
                {
                    if (string.CompareOrdinal(position, floor) < 0) throw Trimmed(text, shardId);
                    after = position;
                }
                break;
        }
        return new() { ["ShardIterator"] = ShardIterators.Encode(new(stream.StreamArn, stream.ShardId, after, ctx.Now)) };
    }

    private Dictionary<string, object?> GetRecords(RequestContext ctx, Dictionary<string, object?> input)
    {
        var iterator = input.RequireString("ShardIterator");
        var limit = Limit(input, MaxRecords);
        if (limit > MaxRecords)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {MaxRecords}");
        var position = ShardIterators.Decode(iterator) ?? throw AwsException.Validation("Invalid ShardIterator");
        if (ctx.Now - position.IssuedAt > ShardIterators.Lifetime)
            throw new AwsException("ExpiredIteratorException", "The shard iterator has expired and can no longer be used to retrieve stream records. A shard iterator expires 15 minutes after it is retrieved using the GetShardIterator action.");
        var stream = Require(ctx, position.StreamArn);
        RequireShard(stream, position.ShardId);
        // Records between the iterator's position and the oldest record left were trimmed by retention.
        if (string.CompareOrdinal(position.After, Floor(stream)) < 0)
            throw new AwsException("TrimmedDataAccessException",
                "The operation attempted to read past the oldest stream record in a shard. In DynamoDB Streams, there is a 24 hour limit on data retention. Stream records whose age exceeds this limit are subject to removal (trimming) from the stream.");

        var records = new List<object?>();
        var after = position.After;
        long bytes = 0;
        foreach (var (sequence, row) in _streams.Read(ctx.Scope, stream, after, limit))
        {
            if (records.Count > 0 && bytes + row.SizeBytes > MaxResponseBytes) break;
            bytes += row.SizeBytes;
            records.Add(StreamRecordWire.Record(row, sequence, stream.StreamViewType, ctx.Region));
            after = sequence;
        }
        var output = new Dictionary<string, object?> { ["Records"] = records };
        // A closed shard read to its end has no next iterator: that is how consumers learn it is finished.
        if (stream.EndingSequenceNumber is not { } ending || string.CompareOrdinal(after, ending) < 0)
            output["NextShardIterator"] = ShardIterators.Encode(position with { After = after, IssuedAt = ctx.Now });
        return output;
    }

    private static void RequireShard(StreamInfo stream, string shardId)
    {
        if (shardId != stream.ShardId)
            throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Shard: {shardId} in Stream: {stream.StreamArn} not found");
    }

    private static AwsException Trimmed(string sequenceNumber, string shardId) => new("TrimmedDataAccessException",
        $"The sequence number {sequenceNumber} is beyond the trim horizon of shard {shardId}: its record is older than the 24-hour retention or precedes the shard.");
}
