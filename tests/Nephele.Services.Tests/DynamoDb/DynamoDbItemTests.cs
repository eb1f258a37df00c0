using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbItemTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Every_attribute_type_round_trips()
    {
        var name = await NewTable();
        var item = Item(
            ("pk", S("all")),
            ("s", S("")),
            ("n", N("-12.5")),
            ("b", new AttributeValue { B = new MemoryStream([1, 2, 3]) }),
            ("bool", new AttributeValue { BOOL = false }),
            ("null", new AttributeValue { NULL = true }),
            ("l", new AttributeValue { L = [S("x"), N("1"), new AttributeValue { L = [] }] }),
            ("m", new AttributeValue { M = new() { ["inner"] = new AttributeValue { M = new() { ["deep"] = S("y") } } } }),
            ("ss", new AttributeValue { SS = ["b", "a"] }),
            ("ns", new AttributeValue { NS = ["3", "1"] }),
            ("bs", new AttributeValue { BS = [new MemoryStream([9]), new MemoryStream([8])] }));
        await Ddb().PutItemAsync(name, item);
        var got = (await Ddb().GetItemAsync(new GetItemRequest(name, Item(("pk", S("all")))) { ConsistentRead = true })).Item;
        Assert.Equal("", got["s"].S);
        Assert.Equal("-12.5", got["n"].N);
        Assert.Equal([1, 2, 3], got["b"].B.ToArray());
        Assert.False(got["bool"].BOOL);
        Assert.True(got["null"].NULL);
        Assert.Equal("x", got["l"].L[0].S);
        Assert.Equal("y", got["m"].M["inner"].M["deep"].S);
        Assert.Equal(["a", "b"], got["ss"].SS.Order());
        Assert.Equal(["1", "3"], got["ns"].NS.Order());
        Assert.Equal(2, got["bs"].BS.Count);
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("0001.500", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData("-0", "0")]
    [InlineData("1E-3", "0.001")]
    [InlineData("12345678901234567890123456789012345678", "12345678901234567890123456789012345678")]
    [InlineData("9.9999999999999999999999999999999999999E+125", "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Numbers_are_normalised(string input, string stored)
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, Item(("pk", S("n")), ("v", N(input))));
        Assert.Equal(stored, (await Ddb().GetItemAsync(name, Item(("pk", S("n"))))).Item["v"].N);
    }

    [Theory]
    [InlineData("abc", "The parameter cannot be converted to a numeric value: abc")]
    [InlineData("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number")]
    [InlineData("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range")]
    public async Task Invalid_numbers_are_rejected_with_aws_messages(string input, string message)
    {
        var name = await NewTable();
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("n")), ("v", N(input)))));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Sets_must_not_be_empty_or_hold_duplicates()
    {
        var name = await NewTable();
        var empty = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("a")), ("ss", new AttributeValue { SS = [] }))));
        Assert.Equal("One or more parameter values were invalid: An string set  may not be empty", empty.Message);
        var dup = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("a")), ("ss", new AttributeValue { SS = ["x", "x"] }))));
        Assert.Equal("One or more parameter values were invalid: Input collection [x, x] contains duplicates.", dup.Message);
    }

    [Fact]
    public async Task Key_rules_give_aws_messages()
    {
        var name = await NewTable("N");
        var missing = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("a")))));
        Assert.Equal("One or more parameter values were invalid: Missing the key sk in the item", missing.Message);
        var mismatch = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("a")), ("sk", S("x")))));
        Assert.Equal("One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S", mismatch.Message);
        var empty = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("")), ("sk", N("1")))));
        Assert.Equal("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk", empty.Message);
        var schema = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().GetItemAsync(name, Item(("pk", S("a")))));
        Assert.Equal("The provided key element does not match the schema", schema.Message);
    }

    [Fact]
    public async Task Items_over_400_KB_are_rejected()
    {
        var name = await NewTable();
        var big = new string('x', 400 * 1024);
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().PutItemAsync(name, Item(("pk", S("a")), ("v", S(big)))));
        Assert.Equal("Item size has exceeded the maximum allowed size", e.Message);
        await Ddb().PutItemAsync(name, Item(("pk", S("a")), ("v", S(big[..(400 * 1024 - 10)]))));
    }

    [Fact]
    public async Task Put_returns_the_old_item_and_delete_returns_what_it_removed()
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, Item(("pk", S("a")), ("v", N("1"))));
        var put = await Ddb().PutItemAsync(new PutItemRequest(name, Item(("pk", S("a")), ("v", N("2")))) { ReturnValues = ReturnValue.ALL_OLD });
        Assert.Equal("1", put.Attributes["v"].N);
        var deleted = await Ddb().DeleteItemAsync(new DeleteItemRequest(name, Item(("pk", S("a")))) { ReturnValues = ReturnValue.ALL_OLD });
        Assert.Equal("2", deleted.Attributes["v"].N);
        Assert.False((await Ddb().GetItemAsync(name, Item(("pk", S("a"))))).IsItemSet);
        var invalid = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Ddb().PutItemAsync(new PutItemRequest(name, Item(("pk", S("a")))) { ReturnValues = ReturnValue.ALL_NEW }));
        Assert.Equal("Return values set to invalid value", invalid.Message);
    }

    [Fact]
    public async Task Consumed_capacity_counts_units_per_kilobyte()
    {
        var name = await NewTable();
        var put = await Ddb().PutItemAsync(new PutItemRequest(name, Item(("pk", S("a")), ("v", S(new string('x', 1500))))) { ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        Assert.Equal(2, put.ConsumedCapacity.CapacityUnits);
        Assert.Equal(name, put.ConsumedCapacity.TableName);
        var eventual = await Ddb().GetItemAsync(new GetItemRequest(name, Item(("pk", S("a")))) { ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        Assert.Equal(0.5, eventual.ConsumedCapacity.CapacityUnits);
        var strong = await Ddb().GetItemAsync(new GetItemRequest(name, Item(("pk", S("a")))) { ConsistentRead = true, ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES });
        Assert.Equal(1, strong.ConsumedCapacity.CapacityUnits);
        Assert.Equal(1, strong.ConsumedCapacity.Table.CapacityUnits);
        var big = new string('y', 5000);
        await Ddb().PutItemAsync(name, Item(("pk", S("b")), ("v", S(big))));
        var large = await Ddb().GetItemAsync(new GetItemRequest(name, Item(("pk", S("b")))) { ConsistentRead = true, ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL });
        Assert.Equal(2, large.ConsumedCapacity.CapacityUnits);
    }

    [Fact]
    public async Task Binary_values_keep_their_bytes()
    {
        var name = await NewTable(pkType: "B");
        var key = new AttributeValue { B = new MemoryStream(Encoding.UTF8.GetBytes("key")) };
        await Ddb().PutItemAsync(name, new() { ["pk"] = key, ["v"] = S("x") });
        var got = await Ddb().GetItemAsync(name, new() { ["pk"] = new AttributeValue { B = new MemoryStream(Encoding.UTF8.GetBytes("key")) } });
        Assert.Equal("x", got.Item["v"].S);
    }

    [Fact]
    public async Task Legacy_parameters_still_work()
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = name,
            Item = Item(("pk", S("a")), ("v", N("1"))),
            Expected = new() { ["pk"] = new ExpectedAttributeValue { Exists = false } },
        });
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Ddb().PutItemAsync(new PutItemRequest
        {
            TableName = name,
            Item = Item(("pk", S("a"))),
            Expected = new() { ["v"] = new ExpectedAttributeValue { ComparisonOperator = ComparisonOperator.GT, AttributeValueList = [N("5")] } },
        }));
        await Ddb().UpdateItemAsync(new UpdateItemRequest
        {
            TableName = name,
            Key = Item(("pk", S("a"))),
            AttributeUpdates = new()
            {
                ["v"] = new AttributeValueUpdate { Action = AttributeAction.ADD, Value = N("2") },
                ["w"] = new AttributeValueUpdate { Action = AttributeAction.PUT, Value = S("x") },
            },
        });
        var got = await Ddb().GetItemAsync(new GetItemRequest { TableName = name, Key = Item(("pk", S("a"))), AttributesToGet = ["v", "w"] });
        Assert.Equal("3", got.Item["v"].N);
        Assert.Equal("x", got.Item["w"].S);
        var scanned = await Ddb().ScanAsync(new ScanRequest
        {
            TableName = name,
            ScanFilter = new() { ["w"] = new Condition { ComparisonOperator = ComparisonOperator.BEGINS_WITH, AttributeValueList = [S("x")] } },
        });
        Assert.Equal(1, scanned.Count);
    }
}
