using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbBatchTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Batch_write_and_batch_get_across_tables()
    {
        var a = await NewTable();
        var b = await NewTable();
        await Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [a] = [new WriteRequest(new PutRequest(Item(("pk", S("1"))))), new WriteRequest(new PutRequest(Item(("pk", S("2")))))],
                [b] = [new WriteRequest(new PutRequest(Item(("pk", S("x")), ("v", N("1")))))],
            },
        });
        await Ddb().BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [a] = [new WriteRequest(new DeleteRequest(Item(("pk", S("2")))))] } });
        var got = await Ddb().BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [a] = new KeysAndAttributes { Keys = [Item(("pk", S("1"))), Item(("pk", S("2")))] },
                [b] = new KeysAndAttributes { Keys = [Item(("pk", S("x")))], ProjectionExpression = "v" },
            },
        });
        Assert.Equal("1", Assert.Single(got.Responses[a])["pk"].S);
        Assert.Equal(["v"], Assert.Single(got.Responses[b]).Keys);
        Assert.Empty(got.UnprocessedKeys);
    }

    [Fact]
    public async Task Batch_limits_and_duplicates_are_rejected()
    {
        var a = await NewTable();
        var dup = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [a] = [new WriteRequest(new PutRequest(Item(("pk", S("1"))))), new WriteRequest(new DeleteRequest(Item(("pk", S("1")))))] },
        }));
        Assert.Equal("Provided list of item keys contains duplicates", dup.Message);
        var tooMany = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [a] = Enumerable.Range(0, 26).Select(i => new WriteRequest(new PutRequest(Item(("pk", S($"{i}")))))).ToList() },
        }));
        Assert.Contains("Member must have length less than or equal to 25", tooMany.Message);
        var tooManyKeys = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [a] = new KeysAndAttributes { Keys = Enumerable.Range(0, 101).Select(i => Item(("pk", S($"{i}")))).ToList() } },
        }));
        Assert.Equal("Too many items requested for the BatchGetItem call", tooManyKeys.Message);
        Assert.Equal(0, (await Ddb().ScanAsync(new ScanRequest(a))).Count);
    }

    [Fact]
    public async Task Transact_write_is_all_or_nothing_with_cancellation_reasons()
    {
        var table = await NewTable();
        await Ddb().PutItemAsync(table, Item(("pk", S("existing")), ("v", N("1"))));
        var e = await Assert.ThrowsAsync<TransactionCanceledException>(() => Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item(("pk", S("new"))) } },
                new TransactWriteItem
                {
                    ConditionCheck = new ConditionCheck
                    {
                        TableName = table, Key = Item(("pk", S("existing"))), ConditionExpression = "v = :two",
                        ExpressionAttributeValues = new() { [":two"] = N("2") },
                        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                    },
                },
            ],
        }));
        Assert.Equal("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]", e.Message);
        Assert.Equal(["None", "ConditionalCheckFailed"], e.CancellationReasons.Select(r => r.Code));
        Assert.Equal("1", e.CancellationReasons[1].Item["v"].N);
        Assert.False((await Ddb().GetItemAsync(table, Item(("pk", S("new"))))).IsItemSet);

        await Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item(("pk", S("new"))) } },
                new TransactWriteItem { Update = new Update { TableName = table, Key = Item(("pk", S("existing"))), UpdateExpression = "SET v = v + :one", ExpressionAttributeValues = new() { [":one"] = N("1") } } },
            ],
        });
        var got = await Ddb().TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems =
            [
                new TransactGetItem { Get = new Get { TableName = table, Key = Item(("pk", S("existing"))) } },
                new TransactGetItem { Get = new Get { TableName = table, Key = Item(("pk", S("absent"))) } },
                new TransactGetItem { Get = new Get { TableName = table, Key = Item(("pk", S("new"))) } },
            ],
        });
        Assert.Equal("2", got.Responses[0].Item["v"].N);
        Assert.True(got.Responses[1].Item is null || got.Responses[1].Item.Count == 0);
        Assert.Equal("new", got.Responses[2].Item["pk"].S);
    }

    [Fact]
    public async Task Transactions_reject_two_operations_on_one_item()
    {
        var table = await NewTable();
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Item(("pk", S("a"))) } },
                new TransactWriteItem { Delete = new Delete { TableName = table, Key = Item(("pk", S("a"))) } },
            ],
        }));
        Assert.Equal("Transaction request cannot include multiple operations on one item", e.Message);
    }

    [Fact]
    public async Task A_client_request_token_makes_a_retried_transaction_apply_once()
    {
        var table = await NewTable();
        await Ddb().PutItemAsync(table, Item(("pk", S("c")), ("v", N("0"))));
        TransactWriteItemsRequest Request(string amount) => new()
        {
            ClientRequestToken = "token-1",
            TransactItems = [new TransactWriteItem { Update = new Update { TableName = table, Key = Item(("pk", S("c"))), UpdateExpression = "ADD v :n", ExpressionAttributeValues = new() { [":n"] = N(amount) } } }],
        };
        await Ddb().TransactWriteItemsAsync(Request("1"));
        await Ddb().TransactWriteItemsAsync(Request("1"));
        Assert.Equal("1", (await Ddb().GetItemAsync(table, Item(("pk", S("c"))))).Item["v"].N);
        var e = await Assert.ThrowsAsync<IdempotentParameterMismatchException>(() => Ddb().TransactWriteItemsAsync(Request("2")));
        Assert.Equal("The request uses the same client token as a previous, but non-identical request.", e.Message);
    }

    [Fact]
    public async Task Concurrent_transactions_on_one_counter_are_serialised()
    {
        var table = await NewTable();
        await Ddb().PutItemAsync(table, Item(("pk", S("c")), ("v", N("0"))));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Update = new Update { TableName = table, Key = Item(("pk", S("c"))), UpdateExpression = "ADD v :one", ExpressionAttributeValues = new() { [":one"] = N("1") } } },
            ],
        })));
        Assert.Equal("20", (await Ddb().GetItemAsync(table, Item(("pk", S("c"))))).Item["v"].N);
    }
}
