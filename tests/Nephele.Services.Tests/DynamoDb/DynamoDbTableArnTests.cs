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
