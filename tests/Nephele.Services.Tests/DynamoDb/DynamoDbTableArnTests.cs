using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbTableArnTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task A_table_arn_works_wherever_a_table_name_does()
    {
        var table = await NewTable();
        var arn = (await Ddb().DescribeTableAsync(table)).Table.TableArn;
        await Ddb().PutItemAsync(new PutItemRequest { TableName = arn, Item = Item(("pk", S("a")), ("v", N("1"))) });
        Assert.Equal("1", (await Ddb().GetItemAsync(new GetItemRequest { TableName = arn, Key = Item(("pk", S("a"))) })).Item["v"].N);
        Assert.Equal(table, (await Ddb().DescribeTableAsync(arn)).Table.TableName);
        Assert.Equal(1, (await Ddb().QueryAsync(new QueryRequest
        {
            TableName = arn,
            KeyConditionExpression = "pk = :a",
            ExpressionAttributeValues = new() { [":a"] = S("a") },
        })).Count);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Ddb().GetItemAsync(new GetItemRequest
        {
            TableName = arn.Replace(":table/", ":table/x"),
            Key = Item(("pk", S("a"))),
        }));
    }
}

public sealed class DynamoDbItemCollectionMetricsTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Writes_to_a_table_with_a_local_index_report_their_item_collection_size()
    {
        var table = NewName();
        await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", Amazon.DynamoDBv2.KeyType.HASH), new("sk", Amazon.DynamoDBv2.KeyType.RANGE)],
            AttributeDefinitions = [new("pk", "S"), new("sk", "S"), new("l", "S")],
            LocalSecondaryIndexes = [new() { IndexName = "byL", KeySchema = [new("pk", Amazon.DynamoDBv2.KeyType.HASH), new("l", Amazon.DynamoDBv2.KeyType.RANGE)], Projection = new() { ProjectionType = Amazon.DynamoDBv2.ProjectionType.ALL } }],
        });
        var put = await Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Item(("pk", S("p")), ("sk", S("1")), ("l", S("x"))),
            ReturnItemCollectionMetrics = Amazon.DynamoDBv2.ReturnItemCollectionMetrics.SIZE,
        });
        Assert.Equal("p", put.ItemCollectionMetrics.ItemCollectionKey["pk"].S);
        Assert.Equal(new List<double> { 0, 1 }, put.ItemCollectionMetrics.SizeEstimateRangeGB);
        var plain = await NewTable("S");
        var none = await Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = plain,
            Item = Item(("pk", S("p")), ("sk", S("1"))),
            ReturnItemCollectionMetrics = Amazon.DynamoDBv2.ReturnItemCollectionMetrics.SIZE,
        });
        Assert.True(none.ItemCollectionMetrics is null || none.ItemCollectionMetrics.ItemCollectionKey is not { Count: > 0 });
    }
}
