using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbExpressionTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private async Task<string> TableWith(Dictionary<string, AttributeValue> item)
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, item);
        return name;
    }

    private Task<PutItemResponse> PutIf(string table, string condition, Dictionary<string, AttributeValue>? values = null, Dictionary<string, string>? names = null) =>
        Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Item(("pk", S("a")), ("written", S("yes"))),
            ConditionExpression = condition,
            ExpressionAttributeValues = values,
            ExpressionAttributeNames = names,
        });

    [Theory]
    [InlineData("attribute_exists(n)", true)]
    [InlineData("attribute_not_exists(n)", false)]
    [InlineData("n = :five", true)]
    [InlineData("n <> :five", false)]
    [InlineData("n < :ten AND n >= :five", true)]
    [InlineData("n BETWEEN :five AND :ten", true)]
    [InlineData("n IN (:ten, :five)", true)]
    [InlineData("NOT n > :five", true)]
    [InlineData("n > :ten OR s = :hello", true)]
    [InlineData("begins_with(s, :he)", true)]
    [InlineData("contains(s, :ll)", true)]
    [InlineData("contains(tags, :red)", true)]
    [InlineData("contains(lst, :five)", true)]
    [InlineData("size(s) = :five", true)]
    [InlineData("size(tags) > :five", false)]
    [InlineData("attribute_type(n, :typeN)", true)]
    [InlineData("attribute_type(s, :typeN)", false)]
    [InlineData("m.nested[1] = :ten", true)]
    [InlineData("absent <> :five", true)]
    [InlineData("absent = :five", false)]
    [InlineData("s > :five", false)]
    [InlineData("(n = :ten OR n = :five) AND NOT attribute_exists(absent)", true)]
    public async Task Condition_expressions_evaluate_like_dynamodb(string condition, bool passes)
    {
        var table = await TableWith(Item(("pk", S("a")), ("n", N("5")), ("s", S("hello")),
            ("tags", new AttributeValue { SS = ["red", "blue"] }), ("lst", new AttributeValue { L = [N("5")] }),
            ("m", new AttributeValue { M = new() { ["nested"] = new AttributeValue { L = [N("1"), N("10")] } } })));
        var all = new Dictionary<string, AttributeValue>
        {
            [":five"] = N("5"),
            [":ten"] = N("10"),
            [":hello"] = S("hello"),
            [":he"] = S("he"),
            [":ll"] = S("ll"),
            [":red"] = S("red"),
            [":typeN"] = S("N"),
        };
        var used = all.Where(kv => System.Text.RegularExpressions.Regex.IsMatch(condition, kv.Key + @"\b")).ToDictionary();
        if (passes)
        {
            await PutIf(table, condition, used.Count > 0 ? used : null);
            Assert.Equal("yes", (await Ddb().GetItemAsync(table, Item(("pk", S("a"))))).Item["written"].S);
        }
        else
        {
            var e = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => PutIf(table, condition, used.Count > 0 ? used : null));
            Assert.Equal("The conditional request failed", e.Message);
            Assert.False((await Ddb().GetItemAsync(table, Item(("pk", S("a"))))).Item.ContainsKey("written"));
        }
    }

    [Fact]
    public async Task A_failed_condition_can_return_the_current_item()
    {
        var table = await TableWith(Item(("pk", S("a")), ("v", N("1"))));
        var e = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Item(("pk", S("a"))),
            ConditionExpression = "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }));
        Assert.Equal("1", e.Item["v"].N);
    }

    [Theory]
    [InlineData("SET #n = :v", null, "{:v}", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}")]
    [InlineData("SET a = :v", "#n", "{:v}", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}")]
    [InlineData("SET a = :undefined", null, "{:v}", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :undefined")]
    [InlineData("SET #undefined = :v", null, "{:v}", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #undefined")]
    [InlineData("SET name = :v", null, "{:v}", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("SET a = :v SET b = :v", null, "{:v}", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;")]
    [InlineData("SET a = :v, a.b = :v", null, "{:v}", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]")]
    [InlineData("SET a = ", null, "{:v}", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"= \"")]
    [InlineData("SET pk = :v", null, "{:v}", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")]
    public async Task Update_expression_errors_match_aws(string expression, string? name, string _, string message)
    {
        var table = await NewTable();
        var values = new Dictionary<string, AttributeValue> { [":v"] = N("1") };
        if (message.Contains("{:x}")) values[":x"] = N("2");
        var names = name is null ? new Dictionary<string, string>() : new() { [name] = "n" };
        if (expression.Contains("#n")) names["#n"] = "n";
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            UpdateExpression = expression,
            ExpressionAttributeValues = values,
            ExpressionAttributeNames = names.Count > 0 ? names : null,
        }));
        Assert.Equal("ValidationException", e.ErrorCode);
        Assert.Equal(message.TrimEnd(), e.Message.TrimEnd());
    }

    [Fact]
    public async Task Update_expressions_set_remove_add_and_delete()
    {
        var table = await TableWith(Item(("pk", S("a")), ("count", N("10")), ("lst", new AttributeValue { L = [S("x"), S("y"), S("z")] }), ("q", new AttributeValue { L = [S("a"), S("b"), S("c")] }),
            ("tags", new AttributeValue { SS = ["a", "b"] }), ("m", new AttributeValue { M = new() { ["k"] = S("v") } }), ("gone", S("soon"))));
        var result = await Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            UpdateExpression = "SET #c = #c - :one, lst = list_append(lst, :more), m.k2 = :v, fresh = if_not_exists(fresh, :v), again = if_not_exists(#c, :one) " +
                "REMOVE gone, q[0] ADD tally :one, tags :newTags DELETE nothing :newTags",
            ExpressionAttributeNames = new() { ["#c"] = "count" },
            ExpressionAttributeValues = new()
            {
                [":one"] = N("1"),
                [":more"] = new AttributeValue { L = [S("w")] },
                [":v"] = S("new"),
                [":newTags"] = new AttributeValue { SS = ["c"] },
            },
            ReturnValues = ReturnValue.ALL_NEW,
        });
        var item = result.Attributes;
        Assert.Equal("9", item["count"].N);
        Assert.Equal(["x", "y", "z", "w"], item["lst"].L.Select(v => v.S));
        Assert.Equal(["b", "c"], item["q"].L.Select(v => v.S));
        Assert.Equal("new", item["m"].M["k2"].S);
        Assert.Equal("new", item["fresh"].S);
        Assert.Equal("10", item["again"].N);
        Assert.False(item.ContainsKey("gone"));
        Assert.Equal("1", item["tally"].N);
        Assert.Equal(["a", "b", "c"], item["tags"].SS.Order());

        var deleted = await Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            UpdateExpression = "DELETE tags :all",
            ExpressionAttributeValues = new() { [":all"] = new AttributeValue { SS = ["a", "b", "c"] } },
            ReturnValues = ReturnValue.UPDATED_OLD,
        });
        Assert.Equal(3, deleted.Attributes["tags"].SS.Count);
        Assert.False((await Ddb().GetItemAsync(table, Item(("pk", S("a"))))).Item.ContainsKey("tags"));
    }

    [Fact]
    public async Task Update_creates_the_item_and_returns_updated_new()
    {
        var table = await NewTable();
        var result = await Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("new"))),
            UpdateExpression = "ADD visits :one SET details.seen = :one",
            ExpressionAttributeValues = new() { [":one"] = N("1") },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }).ContinueWith(t => t.Exception?.InnerException);
        var e = Assert.IsType<AmazonDynamoDBException>(result);
        Assert.Equal("The document path provided in the update expression is invalid for update", e.Message);

        var ok = await Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("new"))),
            UpdateExpression = "ADD visits :one",
            ExpressionAttributeValues = new() { [":one"] = N("1") },
            ReturnValues = ReturnValue.UPDATED_NEW,
        });
        Assert.Equal(["visits"], ok.Attributes.Keys);
        Assert.Equal("1", ok.Attributes["visits"].N);
    }

    [Fact]
    public async Task Arithmetic_on_a_missing_attribute_or_a_string_fails()
    {
        var table = await TableWith(Item(("pk", S("a")), ("s", S("text"))));
        var missing = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            UpdateExpression = "SET x = nothere + :one",
            ExpressionAttributeValues = new() { [":one"] = N("1") },
        }));
        Assert.Equal("The provided expression refers to an attribute that does not exist in the item", missing.Message);
        var wrong = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            UpdateExpression = "SET x = s + :one",
            ExpressionAttributeValues = new() { [":one"] = N("1") },
        }));
        Assert.Equal("An operand in the update expression has an incorrect data type", wrong.Message);
    }

    [Fact]
    public async Task Projection_expressions_pick_nested_paths_and_list_elements()
    {
        var table = await TableWith(Item(("pk", S("a")), ("top", S("t")), ("rest", S("o")),
            ("m", new AttributeValue { M = new() { ["x"] = S("1"), ["y"] = S("2") } }),
            ("l", new AttributeValue { L = [S("zero"), S("one"), S("two")] })));
        var got = await Ddb().GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Item(("pk", S("a"))),
            ProjectionExpression = "#t, m.y, l[2], l[0]",
            ExpressionAttributeNames = new() { ["#t"] = "top" },
        });
        Assert.Equal(["l", "m", "top"], got.Item.Keys.Order());
        Assert.Equal(["y"], got.Item["m"].M.Keys);
        Assert.Equal(["zero", "two"], got.Item["l"].L.Select(v => v.S));
    }

    [Fact]
    public async Task Condition_syntax_errors_name_the_token()
    {
        var table = await NewTable();
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutIf(table, "a = = :v", new() { [":v"] = N("1") }));
        Assert.StartsWith("Invalid ConditionExpression: Syntax error; token: \"=\", near: ", e.Message);
        var f = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutIf(table, "unknown_fn(a)"));
        Assert.Equal("Invalid ConditionExpression: Invalid function name; function: unknown_fn", f.Message);
        var values = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Item(("pk", S("a"))),
            ExpressionAttributeValues = new() { [":v"] = N("1") },
        }));
        Assert.Equal("ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null", values.Message);
    }

    [Fact]
    public async Task Concurrent_conditional_increments_never_lose_an_update()
    {
        var table = await TableWith(Item(("pk", S("c")), ("v", N("0"))));
        async Task Increment()
        {
            var client = Ddb();
            for (var i = 0; i < 10; i++)
            {
                while (true)
                {
                    var current = (await client.GetItemAsync(new GetItemRequest(table, Item(("pk", S("c")))) { ConsistentRead = true })).Item["v"].N;
                    try
                    {
                        await client.UpdateItemAsync(new UpdateItemRequest
                        {
                            TableName = table,
                            Key = Item(("pk", S("c"))),
                            UpdateExpression = "SET v = v + :one",
                            ConditionExpression = "v = :current",
                            ExpressionAttributeValues = new() { [":one"] = N("1"), [":current"] = N(current) },
                        });
                        break;
                    }
                    catch (ConditionalCheckFailedException)
                    {
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Increment()));
        Assert.Equal("40", (await Ddb().GetItemAsync(table, Item(("pk", S("c"))))).Item["v"].N);
    }
}
