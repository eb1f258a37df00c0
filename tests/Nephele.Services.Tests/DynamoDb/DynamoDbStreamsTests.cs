using System.Numerics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbStreamsTests(NepheleFixture nephele) : DynamoDbStreamsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task A_stream_enabled_at_creation_is_listed_and_described_with_one_open_shard()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        var described = (await Ddb().DescribeTableAsync(table)).Table;
        Assert.Equal(arn, described.LatestStreamArn);
        Assert.Equal($"{described.TableArn}/stream/{described.LatestStreamLabel}", arn);

        var listed = await Streams().Call("ListStreams", new Dictionary<string, object> { ["TableName"] = table });
        var stream = Assert.Single(listed.GetProperty("Streams").EnumerateArray());
        Assert.Equal(arn, Str(stream, "StreamArn"));
        Assert.Equal(table, Str(stream, "TableName"));
        Assert.Equal(described.LatestStreamLabel, Str(stream, "StreamLabel"));

        var description = await Describe(arn);
        Assert.Equal("ENABLED", Str(description, "StreamStatus"));
        Assert.Equal("NEW_AND_OLD_IMAGES", Str(description, "StreamViewType"));
        Assert.Equal(table, Str(description, "TableName"));
        Assert.Equal(["pk", "sk"], description.GetProperty("KeySchema").EnumerateArray().Select(k => Str(k, "AttributeName")));
        Assert.Equal(JsonValueKind.Number, description.GetProperty("CreationRequestDateTime").ValueKind);
        var shard = Assert.Single(description.GetProperty("Shards").EnumerateArray());
        Assert.StartsWith("shardId-", Str(shard, "ShardId"));
        Assert.Equal(21, Str(shard, "SequenceNumberRange", "StartingSequenceNumber")!.Length);
        Assert.False(Has(shard, "SequenceNumberRange", "EndingSequenceNumber"));
    }

    [Fact]
    public async Task Item_changes_are_recorded_as_insert_modify_and_remove_with_both_images()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        var ddb = Ddb();
        await ddb.PutItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["v"] = S("one") });
        await ddb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a", 1),
            UpdateExpression = "SET v = :v",
            ExpressionAttributeValues = new() { [":v"] = S("two") },
        });
        // Writes that change nothing leave no record, as in DynamoDB.
        await ddb.PutItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["v"] = S("two") });
        await ddb.DeleteItemAsync(table, Key("zz", 9));
        await ddb.DeleteItemAsync(table, Key("a", 1));

        var records = await ReadAll(arn);
        Assert.Equal(["INSERT", "MODIFY", "REMOVE"], records.Select(r => Str(r, "eventName")));
        Assert.All(records, r =>
        {
            Assert.Equal("1.1", Str(r, "eventVersion"));
            Assert.Equal("aws:dynamodb", Str(r, "eventSource"));
            Assert.Equal("us-east-1", Str(r, "awsRegion"));
            Assert.Equal(32, Str(r, "eventID")!.Length);
            Assert.Equal("NEW_AND_OLD_IMAGES", Str(r, "dynamodb", "StreamViewType"));
            Assert.Equal("a", Str(r, "dynamodb", "Keys", "pk", "S"));
            Assert.Equal("1", Str(r, "dynamodb", "Keys", "sk", "N"));
            Assert.True(r.GetProperty("dynamodb").GetProperty("SizeBytes").GetInt64() > 0);
            var created = DateTimeOffset.FromUnixTimeSeconds((long)r.GetProperty("dynamodb").GetProperty("ApproximateCreationDateTime").GetDouble());
            Assert.True(created > DateTimeOffset.UtcNow.AddDays(-1));
            Assert.False(Has(r, "userIdentity"));
        });
        Assert.False(Has(records[0], "dynamodb", "OldImage"));
        Assert.Equal("one", Str(records[0], "dynamodb", "NewImage", "v", "S"));
        Assert.Equal("one", Str(records[1], "dynamodb", "OldImage", "v", "S"));
        Assert.Equal("two", Str(records[1], "dynamodb", "NewImage", "v", "S"));
        Assert.Equal("two", Str(records[2], "dynamodb", "OldImage", "v", "S"));
        Assert.False(Has(records[2], "dynamodb", "NewImage"));
        var sequence = records.Select(r => BigInteger.Parse(Str(r, "dynamodb", "SequenceNumber")!)).ToList();
        Assert.Equal(sequence.Order(), sequence);
        Assert.Equal(3, sequence.Distinct().Count());
        Assert.All(records, r => Assert.True(Str(r, "dynamodb", "SequenceNumber")!.Length >= 21));
    }

    [Theory]
    [InlineData("KEYS_ONLY", false, false)]
    [InlineData("NEW_IMAGE", true, false)]
    [InlineData("OLD_IMAGE", false, true)]
    public async Task The_view_type_decides_which_images_a_record_carries(string view, bool newImage, bool oldImage)
    {
        var (table, arn) = await NewStreamTable(new StreamViewType(view));
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("k"), ["sk"] = N("1"), ["v"] = S("x") });
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("k"), ["sk"] = N("1"), ["v"] = S("y") });
        var modify = (await ReadAll(arn))[1];
        Assert.Equal("MODIFY", Str(modify, "eventName"));
        Assert.Equal(2, modify.GetProperty("dynamodb").GetProperty("Keys").EnumerateObject().Count());
        Assert.Equal(newImage, Has(modify, "dynamodb", "NewImage"));
        Assert.Equal(oldImage, Has(modify, "dynamodb", "OldImage"));
    }

    [Fact]
    public async Task Batch_and_transaction_writes_record_every_item()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.NEW_IMAGE);
        await Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [table] = Enumerable.Range(1, 3).Select(i => new WriteRequest(new PutRequest(new() { ["pk"] = S("b"), ["sk"] = N(i.ToString()) }))).ToList(),
            },
        });
        await Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = new() { ["pk"] = S("t"), ["sk"] = N("1") } } },
                new TransactWriteItem { Delete = new Delete { TableName = table, Key = Key("b", 1) } },
            ],
        });
        var records = await ReadAll(arn);
        Assert.Equal(["INSERT:b/1", "INSERT:b/2", "INSERT:b/3", "INSERT:t/1", "REMOVE:b/1"],
            records.Select(r => $"{Str(r, "eventName")}:{Str(r, "dynamodb", "Keys", "pk", "S")}/{Str(r, "dynamodb", "Keys", "sk", "N")}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Iterators_start_at_the_horizon_the_latest_record_or_a_sequence_number()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        for (var i = 1; i <= 3; i++) await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N(i.ToString()) });
        var all = await ReadAll(arn);
        Assert.Equal(3, all.Count);
        var second = Str(all[1], "dynamodb", "SequenceNumber");

        var at = await GetRecords(await Iterator(arn, "AT_SEQUENCE_NUMBER", second));
        Assert.Equal(["2", "3"], RecordsOf(at).Select(r => Str(r, "dynamodb", "Keys", "sk", "N")));
        var after = await GetRecords(await Iterator(arn, "AFTER_SEQUENCE_NUMBER", second));
        Assert.Equal(["3"], RecordsOf(after).Select(r => Str(r, "dynamodb", "Keys", "sk", "N")));

        var nothing = await GetRecords(await Iterator(arn, "LATEST"));
        Assert.Empty(RecordsOf(nothing));
        Assert.NotNull(NextOf(nothing));
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("4") });
        var fourth = await GetRecords(NextOf(nothing)!);
        Assert.Equal(["4"], RecordsOf(fourth).Select(r => Str(r, "dynamodb", "Keys", "sk", "N")));
    }

    [Fact]
    public async Task Get_records_pages_by_limit_through_next_shard_iterator()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        for (var i = 1; i <= 5; i++) await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N(i.ToString()) });
        var iterator = await Iterator(arn, "TRIM_HORIZON");
        var seen = new List<string?>();
        for (var page = 0; page < 3; page++)
        {
            var records = await GetRecords(iterator, 2);
            Assert.True(RecordsOf(records).Count <= 2);
            seen.AddRange(RecordsOf(records).Select(r => Str(r, "dynamodb", "Keys", "sk", "N")));
            iterator = NextOf(records)!;
        }
        Assert.Equal(["1", "2", "3", "4", "5"], seen);
    }

    [Fact]
    public async Task Disabling_closes_the_shard_and_enabling_again_starts_a_new_stream()
    {
        var (table, first) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("1") });
        await Ddb().UpdateTableAsync(new UpdateTableRequest { TableName = table, StreamSpecification = new StreamSpecification { StreamEnabled = false } });
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("2") });

        var closed = await Describe(first);
        Assert.Equal("DISABLED", Str(closed, "StreamStatus"));
        var shard = Assert.Single(closed.GetProperty("Shards").EnumerateArray());
        var records = await GetRecords(await Iterator(first, "TRIM_HORIZON"));
        var only = Assert.Single(RecordsOf(records));
        Assert.Equal(Str(only, "dynamodb", "SequenceNumber"), Str(shard, "SequenceNumberRange", "EndingSequenceNumber"));
        Assert.Null(NextOf(records));

        var enabled = await Ddb().UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
        });
        var second = enabled.TableDescription.LatestStreamArn;
        Assert.NotEqual(first, second);
        var listed = await Streams().Call("ListStreams", new Dictionary<string, object> { ["TableName"] = table });
        Assert.Equal([first, second], listed.GetProperty("Streams").EnumerateArray().Select(s => Str(s, "StreamArn")));
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("3") });
        var fresh = Assert.Single(await ReadAll(second));
        Assert.Equal("3", Str(fresh, "dynamodb", "NewImage", "sk", "N"));
        Assert.True(string.CompareOrdinal(Str(fresh, "dynamodb", "SequenceNumber"), Str(only, "dynamodb", "SequenceNumber")) > 0);
    }

    [Fact]
    public async Task A_deleted_tables_stream_stays_readable_and_closed()
    {
        var (table, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        await Ddb().PutItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("1") });
        await Ddb().DeleteTableAsync(table);
        Assert.Equal("DISABLED", Str(await Describe(arn), "StreamStatus"));
        Assert.Single(await ReadAll(arn));
    }

    [Fact]
    public async Task List_streams_pages_with_exclusive_start_stream_arn()
    {
        var arns = new List<string>();
        for (var i = 0; i < 3; i++) arns.Add((await NewStreamTable(StreamViewType.KEYS_ONLY)).StreamArn);
        var seen = new List<string>();
        string? start = null;
        do
        {
            var body = new Dictionary<string, object> { ["Limit"] = 1 };
            if (start is not null) body["ExclusiveStartStreamArn"] = start;
            var page = await Streams().Call("ListStreams", body);
            var streams = page.GetProperty("Streams").EnumerateArray().Select(s => Str(s, "StreamArn")!).ToList();
            Assert.True(streams.Count <= 1);
            seen.AddRange(streams);
            start = Str(page, "LastEvaluatedStreamArn");
        }
        while (start is not null);
        Assert.Subset(seen.ToHashSet(), arns.ToHashSet());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Unknown_streams_shards_and_malformed_iterators_get_aws_errors()
    {
        var (_, arn) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        var missing = arn.Replace("/stream/", "x/stream/", StringComparison.Ordinal);
        var notFound = await Streams().Fail("DescribeStream", new Dictionary<string, object> { ["StreamArn"] = missing });
        Assert.Equal(("ResourceNotFoundException", $"Requested resource not found: Stream: {missing} not found"), (notFound.Code, notFound.Message));

        var badShard = await Streams().Fail("GetShardIterator", new Dictionary<string, object>
        {
            ["StreamArn"] = arn,
            ["ShardId"] = "shardId-00000000000000000000-00000000",
            ["ShardIteratorType"] = "TRIM_HORIZON",
        });
        Assert.Equal("ResourceNotFoundException", badShard.Code);
        var noSequence = await Streams().Fail("GetShardIterator", await IteratorRequest(arn, "AT_SEQUENCE_NUMBER"));
        Assert.Equal("ValidationException", noSequence.Code);
        var badType = await Streams().Fail("GetShardIterator", await IteratorRequest(arn, "OLDEST"));
        Assert.Equal("ValidationException", badType.Code);
        var garbage = await Streams().Fail("GetRecords", new Dictionary<string, object> { ["ShardIterator"] = "garbage" });
        Assert.Equal(("ValidationException", "Invalid ShardIterator"), (garbage.Code, garbage.Message));
        var iterator = await Iterator(arn, "TRIM_HORIZON");
        var tooMany = await Streams().Fail("GetRecords", new Dictionary<string, object> { ["ShardIterator"] = iterator, ["Limit"] = 1001 });
        Assert.Equal("ValidationException", tooMany.Code);
    }

    [Fact]
    public async Task Stream_specifications_are_validated_like_dynamodb()
    {
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = NewName(),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true },
        }));
        Assert.Equal("One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required", e.Message);

        var (table, _) = await NewStreamTable(StreamViewType.KEYS_ONLY);
        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        }));
        Assert.Equal("ValidationException", again.ErrorCode);
        Assert.Equal($"Table already has an enabled stream: TableName: {table}", again.Message);

        var plain = await NewTable();
        var none = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().UpdateTableAsync(new UpdateTableRequest
        {
            TableName = plain,
            StreamSpecification = new StreamSpecification { StreamEnabled = false },
        }));
        Assert.Equal($"Table has no stream to disable: TableName: {plain}", none.Message);
    }
}
