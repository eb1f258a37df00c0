using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.Iam;

/// <summary>PartiQL statements are authorized per table as dynamodb:PartiQLSelect/Insert/Update/Delete, as in AWS.</summary>
public sealed class IamPartiQlEnforcementTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "456789012345";

    private readonly IamClient _root = new(nephele.Http(), Account);

    private AmazonDynamoDBClient Ddb(string key) =>
        nephele.Client((c, cfg) => new AmazonDynamoDBClient(c, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig(), key);

    private async Task<string> UserWithPolicy(string name, string policy)
    {
        await _root.Call("CreateUser", ("UserName", name));
        await _root.Call("PutUserPolicy", ("UserName", name), ("PolicyName", "scenario"), ("PolicyDocument", policy));
        return (await _root.Call("CreateAccessKey", ("UserName", name))).Text("AccessKey", "AccessKeyId");
    }

    private async Task Table(string name)
    {
        await Ddb(Account).CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("kind", ScalarAttributeType.S)],
            KeySchema = [new("pk", KeyType.HASH)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-kind", KeySchema = [new("kind", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        });
    }

    [Fact]
    public async Task Each_statement_needs_its_PartiQL_action_on_the_table_it_names()
    {
        await Table("ledger");
        await Table("payroll");
        var ledger = $"arn:aws:dynamodb:us-east-1:{Account}:table/ledger";
        var id = await UserWithPolicy("bookkeeper", $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["dynamodb:PartiQLSelect","dynamodb:PartiQLInsert"],"Resource":"{{ledger}}"},
              {"Effect":"Allow","Action":"dynamodb:PartiQLSelect","Resource":"{{ledger}}/index/by-kind"}]}
            """);
        var clerk = Ddb(id);

        await clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "INSERT INTO ledger VALUE {'pk': 'e1', 'kind': 'debit'}" });
        Assert.Single((await clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "SELECT * FROM ledger WHERE pk = 'e1'" })).Items);
        Assert.Single((await clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "SELECT * FROM \"ledger\".\"by-kind\" WHERE kind = 'debit'" })).Items);

        var update = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "UPDATE ledger SET amount = 5 WHERE pk = 'e1'" }));
        Assert.Equal(("AccessDeniedException", HttpStatusCode.BadRequest), (update.ErrorCode, update.StatusCode));
        Assert.Equal($"User: arn:aws:iam::{Account}:user/bookkeeper is not authorized to perform: dynamodb:PartiQLUpdate on resource: {ledger} because no identity-based policy allows the dynamodb:PartiQLUpdate action", update.Message);
        var delete = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "DELETE FROM ledger WHERE pk = 'e1'" }));
        Assert.Contains("dynamodb:PartiQLDelete", delete.Message);
        var elsewhere = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            clerk.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "SELECT * FROM payroll" }));
        Assert.Contains($"dynamodb:PartiQLSelect on resource: arn:aws:dynamodb:us-east-1:{Account}:table/payroll", elsewhere.Message);

        // A batch or transaction needs every statement's action; a denied one changes nothing.
        var batch = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => clerk.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements = [new BatchStatementRequest { Statement = "INSERT INTO ledger VALUE {'pk': 'e2', 'kind': 'credit'}" },
                new BatchStatementRequest { Statement = "SELECT * FROM payroll WHERE pk = 'x'" }],
        }));
        Assert.Contains("table/payroll", batch.Message);
        var transaction = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => clerk.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements = [new ParameterizedStatement { Statement = "INSERT INTO ledger VALUE {'pk': 'e3', 'kind': 'credit'}" },
                new ParameterizedStatement { Statement = "DELETE FROM ledger WHERE pk = 'e1'" }],
        }));
        Assert.Contains("dynamodb:PartiQLDelete", transaction.Message);
        Assert.Single((await Ddb(Account).ScanAsync(new ScanRequest { TableName = "ledger" })).Items);

        await clerk.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements = [new ParameterizedStatement { Statement = "INSERT INTO ledger VALUE {'pk': 'e4', 'kind': 'credit'}" }],
        });
    }
}
