using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public abstract class DynamoDbTestBase(NepheleFixture nephele)
{
    protected NepheleFixture Nephele { get; } = nephele;

    protected AmazonDynamoDBClient Ddb() =>
        Nephele.Client((creds, cfg) => new AmazonDynamoDBClient(creds, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig());

    protected static string NewName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>A PAY_PER_REQUEST table with partition key pk (S) and, when given, sort key sk of that type.</summary>
    protected async Task<string> NewTable(string? sortType = null, string pkType = "S")
    {
        var name = NewName();
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", pkType)],
        };
        if (sortType is not null)
        {
            request.KeySchema.Add(new KeySchemaElement("sk", KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition("sk", sortType));
        }
        await Ddb().CreateTableAsync(request);
        return name;
    }

    protected static AttributeValue S(string s) => new() { S = s };
    protected static AttributeValue N(string n) => new() { N = n };

    protected static Dictionary<string, AttributeValue> Item(params (string Name, AttributeValue Value)[] attributes) =>
        attributes.ToDictionary(a => a.Name, a => a.Value);
}
