using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbQueryTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private Task<QueryResponse> Q(string table, string key, Dictionary<string, AttributeValue> values, Action<QueryRequest>? configure = null)
    {
        var request = new QueryRequest { TableName = table, KeyConditionExpression = key, ExpressionAttributeValues = values };
        configure?.Invoke(request);
        return Ddb().QueryAsync(request);
    }

    [Fact]
    public async Task Query_reads_numbers_in_numeric_order_both_ways()
    {
        var table = await NewTable("N");
        string[] numbers = ["-100", "-1.5", "-1", "0", "0.001", "1", "2", "10", "1e3", "99999"];
        foreach (var n in numbers.Reverse())
            await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", N(n))));
        await Ddb().PutItemAsync(table, Item(("pk", S("other")), ("sk", N("5"))));
        var forward = await Q(table, "pk = :p", new() { [":p"] = S("p") });
        Assert.Equal(["-100", "-1.5", "-1", "0", "0.001", "1", "2", "10", "1000", "99999"], forward.Items.Select(i => i["sk"].N));
        var backward = await Q(table, "pk = :p", new() { [":p"] = S("p") }, r => r.ScanIndexForward = false);
        Assert.Equal(["99999", "1000", "10", "2", "1", "0.001", "0", "-1", "-1.5", "-100"], backward.Items.Select(i => i["sk"].N));
    }

    [Theory]
    [InlineData("sk = :a", new[] { "b" })]
    [InlineData("sk < :a", new[] { "a", "ab" })]
    [InlineData("sk <= :a", new[] { "a", "ab", "b" })]
    [InlineData("sk > :a", new[] { "ba", "c" })]
    [InlineData("sk >= :a", new[] { "b", "ba", "c" })]
    [InlineData("sk BETWEEN :a AND :c", new[] { "b", "ba", "c" })]
    [InlineData("begins_with(sk, :a)", new[] { "b", "ba" })]
    public async Task Sort_key_conditions_select_ranges_of_strings(string condition, string[] expected)
    {
        var table = await NewTable("S");
        foreach (var s in new[] { "c", "a", "ba", "b", "ab" })
            await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", S(s))));
        var values = new Dictionary<string, AttributeValue> { [":p"] = S("p"), [":a"] = S("b") };
        if (condition.Contains(":c")) values[":c"] = S("c");
        var result = await Q(table, $"pk = :p AND {condition}", values);
        Assert.Equal(expected, result.Items.Select(i => i["sk"].S));
    }

    [Fact]
    public async Task Query_pages_with_limit_and_last_evaluated_key()
    {
        var table = await NewTable("N");
        for (var i = 0; i < 7; i++)
            await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", N(i.ToString())), ("odd", new AttributeValue { BOOL = i % 2 == 1 })));
        var seen = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        var pages = 0;
        do
        {
            var page = await Q(table, "pk = :p", new() { [":p"] = S("p"), [":t"] = new AttributeValue { BOOL = true } }, r =>
            {
                r.Limit = 3;
                r.ExclusiveStartKey = start;
                r.FilterExpression = "odd = :t";
            });
            seen.AddRange(page.Items.Select(i => i["sk"].N));
            Assert.True(page.ScannedCount <= 3);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
            pages++;
        } while (start is not null);
        Assert.Equal(["1", "3", "5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Key_condition_errors_match_aws()
    {
        var table = await NewTable("N");
        var missing = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Q(table, "sk = :v", new() { [":v"] = N("1") }));
        Assert.Equal("Query condition missed key schema element: pk", missing.Message);
        var type = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Q(table, "pk = :v", new() { [":v"] = N("1") }));
        Assert.Equal("One or more parameter values were invalid: Condition parameter type does not match schema type", type.Message);
        var or = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Q(table, "pk = :v OR sk = :n", new() { [":v"] = S("1"), [":n"] = N("1") }));
        Assert.Equal("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR", or.Message);
        var between = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Q(table, "pk = :v AND sk BETWEEN :hi AND :lo", new() { [":v"] = S("1"), [":hi"] = N("5"), [":lo"] = N("1") }));
        Assert.StartsWith("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound", between.Message);
    }

    [Fact]
    public async Task Queries_on_global_and_local_indexes_honour_projections()
    {
        var table = NewName();
        await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S), new("g", ScalarAttributeType.S), new("rank", ScalarAttributeType.N)],
            GlobalSecondaryIndexes = [new() { IndexName = "byG", KeySchema = [new("g", KeyType.HASH), new("rank", KeyType.RANGE)], Projection = new() { ProjectionType = ProjectionType.KEYS_ONLY } }],
            LocalSecondaryIndexes = [new() { IndexName = "byRank", KeySchema = [new("pk", KeyType.HASH), new("rank", KeyType.RANGE)], Projection = new() { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["extra"] } }],
        });
        await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", S("1")), ("g", S("x")), ("rank", N("30")), ("extra", S("e")), ("big", S("b"))));
        await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", S("2")), ("g", S("x")), ("rank", N("10")), ("extra", S("e"))));
        await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", S("3")), ("rank", N("20"))));

        var gsi = await Q(table, "g = :g", new() { [":g"] = S("x") }, r => r.IndexName = "byG");
        Assert.Equal(["2", "1"], gsi.Items.Select(i => i["sk"].S));
        Assert.Equal(["g", "pk", "rank", "sk"], gsi.Items[0].Keys.Order());
        Assert.Equal(["g", "pk", "rank", "sk"], gsi.LastEvaluatedKey is { Count: > 0 } ? gsi.LastEvaluatedKey.Keys.Order() : ["g", "pk", "rank", "sk"]);

        var lsi = await Q(table, "pk = :p AND #r > :r", new() { [":p"] = S("p"), [":r"] = N("15") }, r =>
        {
            r.IndexName = "byRank";
            r.ExpressionAttributeNames = new() { ["#r"] = "rank" };
        });
        Assert.Equal(["3", "1"], lsi.Items.Select(i => i["sk"].S));
        Assert.False(lsi.Items[1].ContainsKey("big"));
        Assert.Equal("e", lsi.Items[1]["extra"].S);

        var all = await Q(table, "pk = :p", new() { [":p"] = S("p") }, r =>
        {
            r.IndexName = "byRank";
            r.Select = Select.ALL_ATTRIBUTES;
        });
        Assert.Equal("b", all.Items.Single(i => i["sk"].S == "1")["big"].S);

        var strong = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Q(table, "g = :g", new() { [":g"] = S("x") }, r =>
        {
            r.IndexName = "byG";
            r.ConsistentRead = true;
        }));
        Assert.Equal("Consistent reads are not supported on global secondary indexes", strong.Message);
    }

    [Fact]
    public async Task Scan_filters_counts_and_splits_into_parallel_segments()
    {
        var table = await NewTable();
        for (var i = 0; i < 40; i++)
            await Ddb().PutItemAsync(table, Item(("pk", S($"item{i}")), ("n", N(i.ToString()))));
        var count = await Ddb().ScanAsync(new ScanRequest
        {
            TableName = table,
            Select = Select.COUNT,
            FilterExpression = "n >= :ten",
            ExpressionAttributeValues = new() { [":ten"] = N("10") },
        });
        Assert.Equal(30, count.Count);
        Assert.Equal(40, count.ScannedCount);
        Assert.Null(count.Items);

        var seen = new List<string>();
        for (var segment = 0; segment < 3; segment++)
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await Ddb().ScanAsync(new ScanRequest { TableName = table, Segment = segment, TotalSegments = 3, Limit = 5, ExclusiveStartKey = start });
                seen.AddRange(page.Items.Select(i => i["pk"].S));
                start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
            } while (start is not null);
        }
        Assert.Equal(40, seen.Count);
        Assert.Equal(40, seen.Distinct().Count());

        var bad = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().ScanAsync(new ScanRequest { TableName = table, Segment = 3, TotalSegments = 3 }));
        Assert.Equal("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3", bad.Message);
    }

    [Fact]
    public async Task A_page_stops_at_one_megabyte()
    {
        var table = await NewTable("N");
        var blob = new string('x', 300 * 1024);
        for (var i = 0; i < 5; i++)
            await Ddb().PutItemAsync(table, Item(("pk", S("p")), ("sk", N(i.ToString())), ("v", S(blob))));
        var first = await Q(table, "pk = :p", new() { [":p"] = S("p") }, r => r.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL);
        Assert.Equal(3, first.Count);
        Assert.Equal("2", first.LastEvaluatedKey["sk"].N);
        Assert.True(first.ConsumedCapacity.CapacityUnits > 100);
        var rest = await Q(table, "pk = :p", new() { [":p"] = S("p") }, r => r.ExclusiveStartKey = first.LastEvaluatedKey);
        Assert.Equal(["3", "4"], rest.Items.Select(i => i["sk"].N));
    }
}
