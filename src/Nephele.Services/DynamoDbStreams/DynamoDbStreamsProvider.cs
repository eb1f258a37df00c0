using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// DynamoDB Streams (the dynamodbstreams endpoint): the change records that DynamoDB appends to a table's stream
/// with every item change, read through shard iterators. One shard per stream.
/// </summary>
public sealed partial class DynamoDbStreamsProvider(ServiceEnvironment env) : IAwsProvider
{
    private readonly StreamStore _streams = new(env.State, env.Events, env.Logging.CreateLogger("Nephele.DynamoDbStreams"));

    public string ServiceName => "dynamodbstreams";

    public void Register(OperationRegistry operations) => operations
        .On("ListStreams", ListStreams)
        .On("DescribeStream", DescribeStream)
        .On("GetShardIterator", GetShardIterator)
        .On("GetRecords", GetRecords);

    private Dictionary<string, object?> ListStreams(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Math.Min(Limit(input, 100), 100);
        var prefix = input.GetString("TableName") is { } table ? TableDescriptions.ScopeArn(ctx.Scope, table) + "/stream/" : null;
        var rows = _streams.List(ctx.Scope, prefix, input.GetString("ExclusiveStartStreamArn"), limit + 1);
        var page = rows.Take(limit).ToList();
        var output = new Dictionary<string, object?>
        {
            ["Streams"] = page.Where(s => Live(s, ctx.Now)).Select(s => (object?)new Dictionary<string, object?>
            {
                ["StreamArn"] = s.StreamArn,
                ["TableName"] = s.TableName,
                ["StreamLabel"] = s.StreamLabel,
            }).ToList(),
        };
        if (rows.Count > limit) output["LastEvaluatedStreamArn"] = page[^1].StreamArn;
        return output;
    }

    private Dictionary<string, object?> DescribeStream(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("StreamArn");
        Limit(input, 100);
        var stream = Require(ctx, arn);
        var shards = new List<object?>();
        var filter = input.GetStruct("ShardFilter");
        if (filter is not null && filter.GetString("Type") != "CHILD_SHARDS")
            throw AwsException.Validation($"1 validation error detected: Value '{filter.GetString("Type")}' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]");
        // The single shard has no parent and no children; it is listed unless the caller already paged past it.
        if (filter is null && input.GetString("ExclusiveStartShardId") != stream.ShardId)
        {
            var range = new Dictionary<string, object?> { ["StartingSequenceNumber"] = FirstAvailable(stream) };
            if (stream.EndingSequenceNumber is { } ending) range["EndingSequenceNumber"] = ending;
            shards.Add(new Dictionary<string, object?> { ["ShardId"] = stream.ShardId, ["SequenceNumberRange"] = range });
        }
        return new()
        {
            ["StreamDescription"] = new Dictionary<string, object?>
            {
                ["StreamArn"] = stream.StreamArn,
                ["StreamLabel"] = stream.StreamLabel,
                ["StreamStatus"] = stream.Enabled ? "ENABLED" : "DISABLED",
                ["StreamViewType"] = stream.StreamViewType,
                ["CreationRequestDateTime"] = stream.CreationRequestDateTime,
                ["TableName"] = stream.TableName,
                ["KeySchema"] = stream.KeySchema.Select(k => (object?)new Dictionary<string, object?>
                {
                    ["AttributeName"] = k.AttributeName,
                    ["KeyType"] = k.KeyType,
                }).ToList(),
                ["Shards"] = shards,
            },
        };
    }

    /// <summary>The stream with retention applied, or AWS's not-found error.</summary>
    private StreamInfo Require(RequestContext ctx, string arn) =>
        (_streams.Find(ctx.Scope, arn) is { } found ? _streams.Trim(ctx.Scope, found, ctx.Now) : null)
        ?? throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Stream: {arn} not found");

    private static bool Live(StreamInfo stream, DateTimeOffset now) => stream.DisabledAt is not { } d || d + StreamStore.Retention > now;

    /// <summary>The position just before the oldest record still in the shard.</summary>
    private static string Floor(StreamInfo stream) => stream.TrimmedThrough ?? SequenceNumbers.Previous(stream.StartingSequenceNumber);

    private static string FirstAvailable(StreamInfo stream) => SequenceNumbers.Next(Floor(stream));

    private static int Limit(Dictionary<string, object?> input, int max)
    {
        var limit = input.GetInt("Limit") ?? max;
        if (limit < 1)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        return limit;
    }
}
