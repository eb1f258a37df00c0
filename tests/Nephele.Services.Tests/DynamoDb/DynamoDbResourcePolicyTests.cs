using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbResourcePolicyTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private static string Policy(string arn, string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"{{action}}","Resource":"{{arn}}"}]}""";

    [Fact]
    public async Task Put_get_and_delete_a_table_policy_with_revision_checks()
    {
        var ddb = Ddb();
        var table = await NewTable();
        var arn = (await ddb.DescribeTableAsync(table)).Table.TableArn;
        var missing = await Assert.ThrowsAsync<PolicyNotFoundException>(() => ddb.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = arn }));
        Assert.Equal($"Resource-based policy not found for the provided ResourceArn: {arn}", missing.Message);

        var first = (await ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = arn, Policy = Policy(arn, "dynamodb:GetItem") })).RevisionId;
        var got = await ddb.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = arn });
        Assert.Equal(first, got.RevisionId);
        Assert.Contains("dynamodb:GetItem", got.Policy);

        await Assert.ThrowsAsync<PolicyNotFoundException>(() => ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            ResourceArn = arn,
            Policy = Policy(arn, "dynamodb:PutItem"),
            ExpectedRevisionId = "1",
        }));
        var second = (await ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            ResourceArn = arn,
            Policy = Policy(arn, "dynamodb:PutItem"),
            ExpectedRevisionId = first,
        })).RevisionId;
        Assert.True(long.Parse(second) > long.Parse(first));

        Assert.Equal(second, (await ddb.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = arn })).RevisionId);
        await Assert.ThrowsAsync<PolicyNotFoundException>(() => ddb.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = arn }));
    }

    [Fact]
    public async Task Policies_need_an_existing_resource_and_a_valid_document()
    {
        var ddb = Ddb();
        var table = await NewTable();
        var arn = (await ddb.DescribeTableAsync(table)).Table.TableArn;
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            ResourceArn = arn + "-gone",
            Policy = Policy(arn, "dynamodb:GetItem"),
        }));
        var invalid = await Assert.ThrowsAsync<Amazon.DynamoDBv2.AmazonDynamoDBException>(() => ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            ResourceArn = arn,
            Policy = "{not json",
        }));
        Assert.Equal("ValidationException", invalid.ErrorCode);
        // A table created again under the same name starts without the old table's policy.
        await ddb.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = arn, Policy = Policy(arn, "dynamodb:GetItem") });
        await ddb.DeleteTableAsync(table);
        await ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", Amazon.DynamoDBv2.KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", "S")],
        });
        await Assert.ThrowsAsync<PolicyNotFoundException>(() => ddb.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = arn }));
    }
}
