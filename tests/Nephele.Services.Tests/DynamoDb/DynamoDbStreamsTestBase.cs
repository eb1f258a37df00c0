using System.Net.Http.Json;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

/// <summary>
/// DynamoDB Streams through raw JSON 1.0 requests: AWSSDK.DynamoDBv2 4.x no longer carries the streams client and
/// AWSSDK.DynamoDBStreams is not referenced. The wire is what every SDK sends (X-Amz-Target DynamoDBStreams_20120810.*,
/// signing name dynamodb).
/// </summary>
public abstract class DynamoDbStreamsTestBase(NepheleFixture nephele) : DynamoDbTestBase(nephele)
{
    protected JsonProtocolClient Streams() => new(Nephele.Http(), "DynamoDBStreams_20120810", "dynamodb", "application/x-amz-json-1.0");

    /// <summary>A PAY_PER_REQUEST table (pk S, sk N) with a stream of <paramref name="view"/>; returns its name and stream ARN.</summary>
    protected async Task<(string Table, string StreamArn)> NewStreamTable(StreamViewType view)
    {
        var name = NewName("s");
        var created = await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = view },
        });
        return (name, created.TableDescription.LatestStreamArn);
    }

    protected async Task<JsonElement> Describe(string streamArn) =>
        (await Streams().Call("DescribeStream", new Dictionary<string, object> { ["StreamArn"] = streamArn })).GetProperty("StreamDescription");

    protected async Task<string> ShardOf(string streamArn) =>
        Assert.Single((await Describe(streamArn)).GetProperty("Shards").EnumerateArray()).GetProperty("ShardId").GetString()!;

    protected async Task<Dictionary<string, object>> IteratorRequest(string streamArn, string type, string? sequenceNumber = null)
    {
        var body = new Dictionary<string, object> { ["StreamArn"] = streamArn, ["ShardId"] = await ShardOf(streamArn), ["ShardIteratorType"] = type };
        if (sequenceNumber is not null) body["SequenceNumber"] = sequenceNumber;
        return body;
    }

    protected async Task<string> Iterator(string streamArn, string type, string? sequenceNumber = null) =>
        (await Streams().Call("GetShardIterator", await IteratorRequest(streamArn, type, sequenceNumber))).GetProperty("ShardIterator").GetString()!;

    protected async Task<JsonElement> GetRecords(string iterator, int? limit = null)
    {
        var body = new Dictionary<string, object> { ["ShardIterator"] = iterator };
        if (limit is { } l) body["Limit"] = l;
        return await Streams().Call("GetRecords", body);
    }

    protected static List<JsonElement> RecordsOf(JsonElement page) => page.GetProperty("Records").EnumerateArray().ToList();

    protected static string? NextOf(JsonElement page) => page.TryGetProperty("NextShardIterator", out var next) ? next.GetString() : null;

    /// <summary>Every record from the shard's trim horizon, following NextShardIterator until a read returns none.</summary>
    protected async Task<List<JsonElement>> ReadAll(string streamArn)
    {
        var records = new List<JsonElement>();
        var iterator = await Iterator(streamArn, "TRIM_HORIZON");
        while (iterator is not null)
        {
            var page = await GetRecords(iterator);
            if (RecordsOf(page) is not { Count: > 0 } got) break;
            records.AddRange(got);
            iterator = NextOf(page);
        }
        return records;
    }

    /// <summary>A string at a path of properties (the last one may name an attribute value's type, such as S).</summary>
    protected static string? Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.String ? e.GetString() : e.ToString();
    }

    protected static bool Has(JsonElement e, params string[] path) => path.All(p => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(p, out e));

    protected async Task Advance(string duration)
    {
        using var http = Nephele.Http();
        (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = duration }))).EnsureSuccessStatusCode();
    }

    protected async Task<DateTimeOffset> Now()
    {
        using var http = Nephele.Http();
        using var clock = JsonDocument.Parse(await http.GetStringAsync("/_nephele/clock"));
        return clock.RootElement.GetProperty("now").GetDateTimeOffset();
    }

    protected static Dictionary<string, AttributeValue> Key(string pk, int sk) => new() { ["pk"] = S(pk), ["sk"] = N(sk.ToString()) };
}
