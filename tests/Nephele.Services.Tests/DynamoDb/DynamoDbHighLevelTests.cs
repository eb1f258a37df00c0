using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.DocumentModel;

namespace Nephele.Services.Tests.DynamoDb;

[DynamoDBTable("placeholder")]
public sealed class Order
{
    [DynamoDBHashKey("pk")]
    public string Customer { get; set; } = "";

    [DynamoDBRangeKey("sk")]
    public int Number { get; set; }

    public decimal Total { get; set; }
    public List<string> Lines { get; set; } = [];
    public DateTime PlacedAt { get; set; }

    [DynamoDBVersion]
    public int? Version { get; set; }
}

/// <summary>The SDK's DocumentModel (Table, Document) and DataModel (DynamoDBContext) clients over Nephele.</summary>
public sealed class DynamoDbHighLevelTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Document_model_puts_gets_updates_and_queries()
    {
        var name = await NewTable("N");
        var table = new TableBuilder(Ddb(), name).AddHashKey("pk", DynamoDBEntryType.String).AddRangeKey("sk", DynamoDBEntryType.Numeric).Build();
        for (var i = 1; i <= 3; i++)
            await table.PutItemAsync(new Document { ["pk"] = "doc", ["sk"] = i, ["title"] = $"t{i}", ["tags"] = new PrimitiveList { Entries = [new Primitive("a")] } });
        var doc = await table.GetItemAsync("doc", 2);
        Assert.Equal("t2", doc["title"].AsString());
        doc["title"] = "changed";
        await table.UpdateItemAsync(doc);
        Assert.Equal("changed", (await table.GetItemAsync("doc", 2))["title"].AsString());
        var search = table.Query("doc", new QueryFilter("sk", QueryOperator.GreaterThan, 1));
        var found = await search.GetRemainingAsync();
        Assert.Equal([2, 3], found.Select(d => d["sk"].AsInt()));
        await table.DeleteItemAsync("doc", 1);
        Assert.Null(await table.GetItemAsync("doc", 1));
    }

    [Fact]
    public async Task Data_model_saves_loads_queries_and_checks_versions()
    {
        var name = await NewTable("N");
        var context = new DynamoDBContextBuilder().WithDynamoDBClient(Ddb).Build();
        var config = new SaveConfig { OverrideTableName = name };
        var order = new Order { Customer = "ann", Number = 1, Total = 12.34m, Lines = ["tea", "cake"], PlacedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) };
        await context.SaveAsync(order, config);
        await context.SaveAsync(new Order { Customer = "ann", Number = 2, Total = 1m }, config);
        var loaded = await context.LoadAsync<Order>("ann", 1, new LoadConfig { OverrideTableName = name, ConsistentRead = true });
        Assert.Equal(12.34m, loaded.Total);
        Assert.Equal(["tea", "cake"], loaded.Lines);
        Assert.Equal(order.PlacedAt, loaded.PlacedAt.ToUniversalTime());
        Assert.Equal(0, loaded.Version);

        var stale = await context.LoadAsync<Order>("ann", 1, new LoadConfig { OverrideTableName = name });
        loaded.Total = 20m;
        await context.SaveAsync(loaded, config);
        stale.Total = 30m;
        await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ConditionalCheckFailedException>(() => context.SaveAsync(stale, config));

        var all = await context.QueryAsync<Order>("ann", new QueryConfig { OverrideTableName = name, BackwardQuery = true }).GetRemainingAsync();
        Assert.Equal([2, 1], all.Select(o => o.Number));
        Assert.Equal(20m, all[1].Total);
    }
}
