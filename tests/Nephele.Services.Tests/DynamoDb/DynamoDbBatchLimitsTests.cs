using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbBatchLimitsTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Batch_get_stops_before_16_MB_and_returns_the_remaining_keys_with_the_request_options()
    {
        var table = await NewTable();
        // 42 items of about 400,000 bytes: 41 fit in 16 MB (16,777,216 bytes), the 42nd would cross it.
        var payload = new string('x', 399_990);
        var keys = Enumerable.Range(0, 42).Select(i => Item(("pk", S($"k{i:D2}")))).ToList();
        await Task.WhenAll(keys.Select(k => Ddb().PutItemAsync(new PutItemRequest { TableName = table, Item = Item(("pk", k["pk"]), ("v", S(payload))) })));

        var got = await Ddb().BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [table] = new KeysAndAttributes
                {
                    Keys = keys,
                    ProjectionExpression = "#k, v",
                    ExpressionAttributeNames = new() { ["#k"] = "pk" },
                    ConsistentRead = true,
                },
            },
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });

        Assert.Equal(41, got.Responses[table].Count);
        var rest = got.UnprocessedKeys[table];
        Assert.Equal("k41", Assert.Single(rest.Keys)["pk"].S);
        Assert.Equal("#k, v", rest.ProjectionExpression);
        Assert.Equal("pk", rest.ExpressionAttributeNames["#k"]);
        Assert.True(rest.ConsistentRead);
        // Only what was read is charged: 41 strongly consistent reads of 98 units (400,000 bytes in 4 KB units).
        Assert.Equal(41 * 98, Assert.Single(got.ConsumedCapacity).CapacityUnits);

        var again = await Ddb().BatchGetItemAsync(new BatchGetItemRequest { RequestItems = got.UnprocessedKeys });
        Assert.Equal("k41", Assert.Single(again.Responses[table])["pk"].S);
        Assert.Empty(again.UnprocessedKeys);
    }

    [Fact]
    public async Task Batch_write_reports_item_collection_metrics_per_collection_of_tables_with_a_local_index()
    {
        var indexed = await NewIndexedTable();
        var plain = await NewTable("S");
        var response = await Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [indexed] =
                [
                    new WriteRequest(new PutRequest(Item(("pk", S("p")), ("sk", S("1")), ("l", S("a"))))),
                    new WriteRequest(new PutRequest(Item(("pk", S("p")), ("sk", S("2")), ("l", S("b"))))),
                    new WriteRequest(new DeleteRequest(Item(("pk", S("q")), ("sk", S("1"))))),
                ],
                [plain] = [new WriteRequest(new PutRequest(Item(("pk", S("p")), ("sk", S("1")))))],
            },
            ReturnItemCollectionMetrics = ReturnItemCollectionMetrics.SIZE,
        });

        var metrics = Assert.Single(response.ItemCollectionMetrics).Value;
        Assert.Equal(["p", "q"], metrics.Select(m => m.ItemCollectionKey["pk"].S));
        Assert.All(metrics, m => Assert.Equal(new List<double> { 0, 1 }, m.SizeEstimateRangeGB));
        Assert.False(response.ItemCollectionMetrics.ContainsKey(plain));

        var quiet = await Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [indexed] = [new WriteRequest(new PutRequest(Item(("pk", S("r")), ("sk", S("1")))))] },
        });
        Assert.True(quiet.ItemCollectionMetrics is not { Count: > 0 });
    }

    [Fact]
    public async Task Transact_write_reports_item_collection_metrics_for_written_items_only()
    {
        var indexed = await NewIndexedTable();
        var plain = await NewTable("S");
        await Ddb().PutItemAsync(new PutItemRequest { TableName = indexed, Item = Item(("pk", S("c")), ("sk", S("1"))) });
        var response = await Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = indexed, Item = Item(("pk", S("p")), ("sk", S("1")), ("l", S("a"))) } },
                new() { Update = new Update { TableName = indexed, Key = Item(("pk", S("q")), ("sk", S("1"))), UpdateExpression = "SET l = :l", ExpressionAttributeValues = new() { [":l"] = S("b") } } },
                new() { ConditionCheck = new ConditionCheck { TableName = indexed, Key = Item(("pk", S("c")), ("sk", S("1"))), ConditionExpression = "attribute_exists(pk)" } },
                new() { Put = new Put { TableName = plain, Item = Item(("pk", S("p")), ("sk", S("1"))) } },
            ],
            ReturnItemCollectionMetrics = ReturnItemCollectionMetrics.SIZE,
        });

        var metrics = Assert.Single(response.ItemCollectionMetrics);
        Assert.Equal(indexed, metrics.Key);
        Assert.Equal(["p", "q"], metrics.Value.Select(m => m.ItemCollectionKey["pk"].S));
    }

    private async Task<string> NewIndexedTable()
    {
        var table = NewName();
        await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", "S"), new("sk", "S"), new("l", "S")],
            LocalSecondaryIndexes =
            [
                new()
                {
                    IndexName = "byL",
                    KeySchema = [new("pk", KeyType.HASH), new("l", KeyType.RANGE)],
                    Projection = new() { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
        });
        return table;
    }
}
