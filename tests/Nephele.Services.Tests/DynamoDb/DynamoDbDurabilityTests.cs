using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private static AmazonDynamoDBClient Client(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"),
            new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Tables_items_and_index_entries_survive_a_restart()
    {
        await using (var first = await _nephele.StartAsync())
        {
            var ddb = Client(first);
            await ddb.CreateTableAsync(new CreateTableRequest
            {
                TableName = "durable",
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("pk", KeyType.HASH)],
                AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("g", ScalarAttributeType.S)],
                GlobalSecondaryIndexes = [new() { IndexName = "byG", KeySchema = [new("g", KeyType.HASH)], Projection = new() { ProjectionType = ProjectionType.ALL } }],
            });
            await ddb.PutItemAsync("durable", new() { ["pk"] = new() { S = "a" }, ["g"] = new() { S = "x" }, ["n"] = new() { N = "1.50" } });
        }

        await using var second = await _nephele.StartAsync();
        var after = Client(second);
        Assert.Equal(1, (await after.DescribeTableAsync("durable")).Table.ItemCount);
        Assert.Equal("1.5", (await after.GetItemAsync("durable", new() { ["pk"] = new() { S = "a" } })).Item["n"].N);
        var byG = await after.QueryAsync(new QueryRequest
        {
            TableName = "durable",
            IndexName = "byG",
            KeyConditionExpression = "g = :g",
            ExpressionAttributeValues = new() { [":g"] = new() { S = "x" } },
        });
        Assert.Equal("a", Assert.Single(byG.Items)["pk"].S);
    }
}
