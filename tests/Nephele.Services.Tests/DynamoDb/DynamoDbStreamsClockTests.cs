using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Nephele.Core.Gateway;
using Nephele.Services.DynamoDbStreams;

namespace Nephele.Services.Tests.DynamoDb;

/// <summary>Iterator expiry, retention and time to live, driven by Nephele's clock (their own server: the clock moves).</summary>
public sealed class DynamoDbStreamsClockTests(NepheleFixture nephele) : DynamoDbStreamsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Time_to_live_deletes_expired_items_with_service_remove_records()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        var now = (await Now()).ToUnixTimeSeconds();
        var ddb = Ddb();
        await ddb.PutItemAsync(table, new() { ["pk"] = S("soon"), ["sk"] = N("1"), ["exp"] = N((now + 3600).ToString()) });
        await ddb.PutItemAsync(table, new() { ["pk"] = S("later"), ["sk"] = N("1"), ["exp"] = N((now + 86400 * 3).ToString()) });
        await ddb.PutItemAsync(table, new() { ["pk"] = S("text"), ["sk"] = N("1"), ["exp"] = S((now - 10).ToString()) });
        await ddb.PutItemAsync(table, new() { ["pk"] = S("ancient"), ["sk"] = N("1"), ["exp"] = N((now - 86400L * 365 * 6).ToString()) });
        await ddb.PutItemAsync(table, new() { ["pk"] = S("none"), ["sk"] = N("1") });
        // Enabling afterwards still covers the items already there.
        await ddb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "exp", Enabled = true },
        });

        await Advance("PT30M");
        Assert.True((await ddb.GetItemAsync(table, Key("soon", 1))).IsItemSet);
        await Advance("PT45M");
        Assert.False((await ddb.GetItemAsync(table, Key("soon", 1))).IsItemSet);
        var left = (await ddb.ScanAsync(new ScanRequest { TableName = table })).Items.Select(i => i["pk"].S).Order(StringComparer.Ordinal);
        Assert.Equal(["ancient", "later", "none", "text"], left);
        Assert.Equal(4, (await ddb.DescribeTableAsync(table)).Table.ItemCount);

        var records = await ReadAll(arn);
        var remove = Assert.Single(records, r => Str(r, "eventName") == "REMOVE");
        Assert.Equal("soon", Str(remove, "dynamodb", "Keys", "pk", "S"));
        Assert.Equal("soon", Str(remove, "dynamodb", "OldImage", "pk", "S"));
        Assert.Equal("Service", Str(remove, "userIdentity", "Type"));
        Assert.Equal("dynamodb.amazonaws.com", Str(remove, "userIdentity", "PrincipalId"));
    }

    [Fact]
    public async Task An_item_whose_expiry_moves_is_deleted_at_the_new_time_and_disabling_stops_deletions()
    {
        var table = await NewTable();
        var ddb = Ddb();
        await ddb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "exp", Enabled = true },
        });
        var now = (await Now()).ToUnixTimeSeconds();
        await ddb.PutItemAsync(table, new() { ["pk"] = S("a"), ["exp"] = N((now + 600).ToString()) });
        await ddb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("a") },
            UpdateExpression = "SET #e = :e",
            ExpressionAttributeNames = new() { ["#e"] = "exp" },
            ExpressionAttributeValues = new() { [":e"] = N((now + 7200).ToString()) },
        });
        await Advance("PT20M");
        Assert.True((await ddb.GetItemAsync(table, new() { ["pk"] = S("a") })).IsItemSet);
        await Advance("PT2H");
        Assert.False((await ddb.GetItemAsync(table, new() { ["pk"] = S("a") })).IsItemSet);

        await ddb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "exp", Enabled = false },
        });
        now = (await Now()).ToUnixTimeSeconds();
        await ddb.PutItemAsync(table, new() { ["pk"] = S("b"), ["exp"] = N((now - 60).ToString()) });
        await Advance("PT5M");
        Assert.True((await ddb.GetItemAsync(table, new() { ["pk"] = S("b") })).IsItemSet);
    }

    [Fact]
    public async Task Shard_iterators_expire_after_fifteen_minutes()
    {
        var (_, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        var iterator = await Iterator(arn, "TRIM_HORIZON");
        await Advance("PT16M");
        var e = await Streams().Fail("GetRecords", new Dictionary<string, object> { ["ShardIterator"] = iterator });
        Assert.Equal("ExpiredIteratorException", e.Code);
    }

    [Fact]
    public async Task Records_older_than_a_day_are_trimmed()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("old"), ["sk"] = N("1") });
        var old = Str(Assert.Single(await ReadAll(arn)), "dynamodb", "SequenceNumber");
        await Advance("PT23H");
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("new"), ["sk"] = N("1") });
        await Advance("PT2H");

        var records = await ReadAll(arn);
        Assert.Equal(["new"], records.Select(r => Str(r, "dynamodb", "Keys", "pk", "S")));
        var trimmed = await Streams().Fail("GetShardIterator", await IteratorRequest(arn, "AT_SEQUENCE_NUMBER", old));
        Assert.Equal("TrimmedDataAccessException", trimmed.Code);
        var shard = Assert.Single((await Describe(arn)).GetProperty("Shards").EnumerateArray());
        Assert.Equal(Str(records[0], "dynamodb", "SequenceNumber"), Str(shard, "SequenceNumberRange", "StartingSequenceNumber"));
    }

    [Fact]
    public async Task A_disabled_stream_disappears_a_day_later()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        await Ddb().UpdateTableAsync(new UpdateTableRequest { TableName = table, StreamSpecification = new StreamSpecification { StreamEnabled = false } });
        await Advance("P1DT1H");
        Assert.Equal("ResourceNotFoundException", (await Streams().Fail("DescribeStream", new Dictionary<string, object> { ["StreamArn"] = arn })).Code);
        var listed = await Streams().Call("ListStreams", new Dictionary<string, object> { ["TableName"] = table });
        Assert.Empty(listed.GetProperty("Streams").EnumerateArray());
    }
}

public sealed class DynamoDbStreamEventTests
{
    [Fact]
    public async Task Committed_stream_records_are_published_on_the_event_bus_as_lambda_records()
    {
        ServiceEnvironment? environment = null;
        await using var server = NepheleServer.Create(new NepheleOptions { Port = 0, Ephemeral = true, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            env =>
            {
                environment = env;
                return ServiceCatalog.Create(env);
            });
        await server.StartAsync();
        var events = new List<DynamoDbStreamRecordsAppended>();
        using var subscription = environment!.Events.Subscribe<DynamoDbStreamRecordsAppended>(e =>
        {
            lock (events) events.Add(e);
        });
        var ddb = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var created = await ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "events",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
        });
        await ddb.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                ["events"] = [new WriteRequest(new PutRequest(new() { ["pk"] = new AttributeValue { S = "a" } })),
                    new WriteRequest(new PutRequest(new() { ["pk"] = new AttributeValue { S = "b" } }))],
            },
        });
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => ddb.PutItemAsync(new PutItemRequest
        {
            TableName = "events",
            Item = new() { ["pk"] = new AttributeValue { S = "a" } },
            ConditionExpression = "attribute_not_exists(pk)",
        }));

        var appended = Assert.Single(events);
        Assert.Equal(created.TableDescription.LatestStreamArn, appended.StreamArn);
        Assert.Equal("events", appended.TableName);
        Assert.Equal(2, appended.Records.Count);
        using var json = System.Text.Json.JsonDocument.Parse(appended.Records[0].Json);
        Assert.Equal("INSERT", json.RootElement.GetProperty("eventName").GetString());
        Assert.Equal(appended.StreamArn, json.RootElement.GetProperty("eventSourceARN").GetString());
        Assert.Equal("a", json.RootElement.GetProperty("dynamodb").GetProperty("NewImage").GetProperty("pk").GetProperty("S").GetString());
        Assert.Equal(appended.Records[0].SequenceNumber, json.RootElement.GetProperty("dynamodb").GetProperty("SequenceNumber").GetString());
    }
}
