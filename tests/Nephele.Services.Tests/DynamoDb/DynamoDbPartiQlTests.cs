using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbPartiQlTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private async Task<ExecuteStatementResponse> Run(string statement, params AttributeValue[] parameters) =>
        await Ddb().ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, Parameters = parameters.Length > 0 ? [.. parameters] : null });

    private async Task<T> Fails<T>(string statement, params AttributeValue[] parameters) where T : Exception =>
        await Assert.ThrowsAsync<T>(() => Run(statement, parameters));

    [Fact]
    public async Task Insert_select_update_and_delete_one_item()
    {
        var table = await NewTable();
        await Run($"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'n': 1, 'tags': <<'a', 'b'>>, 'm': {{'x': [10, 'y', true, null]}}}}", S("k"));
        var got = Assert.Single((await Run($"SELECT * FROM \"{table}\" WHERE pk = 'k'")).Items);
        Assert.Equal("1", got["n"].N);
        Assert.Equal(["a", "b"], got["tags"].SS.Order());
        Assert.Equal("10", got["m"].M["x"].L[0].N);
        Assert.True(got["m"].M["x"].L[3].NULL);

        var updated = await Run($"UPDATE \"{table}\" SET n = n + 2 SET m.x[1] = 'z' SET l = list_append([1], [2]) REMOVE tags WHERE pk = 'k' RETURNING ALL NEW *");
        var item = Assert.Single(updated.Items);
        Assert.Equal("3", item["n"].N);
        Assert.Equal("z", item["m"].M["x"].L[1].S);
        Assert.Equal(2, item["l"].L.Count);
        Assert.False(item.ContainsKey("tags"));

        var modified = await Run($"UPDATE \"{table}\" SET n = ? WHERE pk = ? RETURNING MODIFIED OLD *", N("7"), S("k"));
        Assert.Equal(["n"], Assert.Single(modified.Items).Keys);
        Assert.Equal("3", modified.Items[0]["n"].N);

        var projected = Assert.Single((await Run($"SELECT n, m.x[1], \"m\" FROM \"{table}\" WHERE pk = 'k'")).Items);
        Assert.Equal("7", projected["n"].N);
        Assert.Equal(3, projected.Count);

        var deleted = await Run($"DELETE FROM \"{table}\" WHERE pk = 'k' RETURNING ALL OLD *");
        Assert.Equal("7", Assert.Single(deleted.Items)["n"].N);
        Assert.Empty((await Run($"SELECT * FROM \"{table}\" WHERE pk = 'k'")).Items);
        Assert.Empty((await Run($"DELETE FROM \"{table}\" WHERE pk = 'k' RETURNING ALL OLD *")).Items);
    }

    [Fact]
    public async Task Insert_of_an_existing_key_is_a_duplicate_item()
    {
        var table = await NewTable();
        await Run($"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'v': 'first'}}");
        var e = await Fails<DuplicateItemException>($"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'v': 'second'}}");
        Assert.Equal("Duplicate primary key exists in table", e.Message);
        Assert.Equal("first", (await Ddb().GetItemAsync(table, Item(("pk", S("a"))))).Item["v"].S);
    }

    [Fact]
    public async Task Update_needs_an_existing_item_that_matches_the_rest_of_the_where_clause()
    {
        var table = await NewTable();
        await Fails<ConditionalCheckFailedException>($"UPDATE \"{table}\" SET v = 1 WHERE pk = 'absent'");
        Assert.False((await Ddb().GetItemAsync(table, Item(("pk", S("absent"))))).IsItemSet);

        await Ddb().PutItemAsync(table, Item(("pk", S("a")), ("v", N("1"))));
        var e = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Ddb().ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a' AND v > 3",
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }));
        Assert.Equal("1", e.Item["v"].N);
        await Run($"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a' AND v < 3 AND attribute_exists(v)");
        Assert.Equal("5", (await Ddb().GetItemAsync(table, Item(("pk", S("a"))))).Item["v"].N);
    }

    [Fact]
    public async Task Writes_must_name_the_full_primary_key()
    {
        var table = await NewTable("S");
        foreach (var statement in new[]
                 {
                     $"UPDATE \"{table}\" SET v = 1 WHERE pk = 'a'",
                     $"DELETE FROM \"{table}\" WHERE pk = 'a' OR sk = 'b'",
                     $"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk > 'b'",
                     $"UPDATE \"{table}\" SET v = 1",
                 })
            Assert.Equal("Where clause does not contain a mandatory equality on all key attributes", (await Fails<AmazonDynamoDBException>(statement)).Message);
        var key = await Fails<AmazonDynamoDBException>($"UPDATE \"{table}\" SET sk = 'c' WHERE pk = 'a' AND sk = 'b'");
        Assert.Equal("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key", key.Message);
    }

    [Fact]
    public async Task Malformed_statements_get_dynamodbs_messages()
    {
        var table = await NewTable();
        const string Envelope = "Statement wasn't well formed, can't be processed: ";
        Assert.Equal(Envelope + "Expected data manipulation", (await Fails<AmazonDynamoDBException>($"SLECT * FROM \"{table}\"")).Message);
        Assert.Equal(Envelope + "Unexpected token after expression", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = 'a' foo")).Message);
        Assert.Equal(Envelope + "Unexpected term", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE")).Message);
        Assert.Equal(Envelope + "Missing right-hand side expression of infix operator", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = 'a' AND")).Message);
        Assert.Equal(Envelope + "Expected identifier for simple path", (await Fails<AmazonDynamoDBException>("DELETE FROM")).Message);
        Assert.StartsWith(Envelope, (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}")).Message);
        Assert.Equal("Aliasing is not supported", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" AS t WHERE pk = 'x'")).Message);
        Assert.Equal("Number of parameters in request and statement don't match.", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = ? AND v = ?", S("a"))).Message);
        Assert.Equal("MISSING must be compared using IS operator", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE v = MISSING")).Message);
        Assert.Equal("Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
            (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = 'x' AND v < ?", new AttributeValue { BOOL = true })).Message);
        Assert.Equal("Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
            (await Fails<AmazonDynamoDBException>($"DELETE FROM \"{table}\" WHERE pk = 'x' RETURNING ALL NEW *")).Message);
        Assert.Equal("Number overflow. Attempting to store a number with magnitude larger than supported range under root.m.x",
            (await Fails<AmazonDynamoDBException>($"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'm': {{'x': 1e126}}}}")).Message);
        await Fails<ResourceNotFoundException>("SELECT * FROM \"no-such-table\" WHERE pk = 'x'");
    }

    [Fact]
    public async Task Select_queries_partitions_and_scans_with_filters_on_any_attribute()
    {
        var table = await NewTable("N");
        for (var p = 0; p < 3; p++)
            for (var s = 0; s < 5; s++)
                await Ddb().PutItemAsync(table, Item(("pk", S($"p{p}")), ("sk", N($"{s}")), ("even", new AttributeValue { BOOL = s % 2 == 0 }), ("name", S($"item-{p}-{s}"))));

        var range = await Run($"SELECT sk FROM \"{table}\" WHERE pk = 'p1' AND sk BETWEEN 1 AND 3 ORDER BY sk DESC");
        Assert.Equal(["3", "2", "1"], range.Items.Select(i => i["sk"].N));
        var inList = await Run($"SELECT * FROM \"{table}\" WHERE pk IN ['p0', 'p2'] AND sk >= 4");
        Assert.Equal(["p0", "p2"], inList.Items.Select(i => i["pk"].S).Order());
        var scan = await Run($"SELECT pk, sk FROM \"{table}\" WHERE even = true AND begins_with(name, 'item-2') OR contains(name, '-0-4')");
        Assert.Equal(4, scan.Items.Count);
        var missing = await Run($"SELECT * FROM \"{table}\" WHERE nothing IS MISSING AND name IS NOT MISSING AND NOT sk <> 0");
        Assert.Equal(3, missing.Items.Count);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Ddb().ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk IN ['p0', 'p1', 'p2']", Limit = 4, NextToken = token });
            seen.AddRange(page.Items.Select(i => i["name"].S));
            token = page.NextToken;
            pages++;
        } while (token is not null);
        Assert.Equal(15, seen.Distinct().Count());
        Assert.Equal(15, seen.Count);
        Assert.True(pages >= 4);

        var foreign = (await Ddb().ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'p0'", Limit = 1 })).NextToken;
        var other = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"SELECT * FROM \"{table}\"",
            NextToken = foreign,
        }));
        Assert.Equal("NextToken does not match request", other.Message);

        var capacity = await Ddb().ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'p0' AND sk = 1",
            ConsistentRead = true,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });
        Assert.Equal(1, capacity.ConsumedCapacity.CapacityUnits);
    }

    [Fact]
    public async Task Select_from_an_index_reads_what_the_index_projects()
    {
        var table = NewName();
        await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", "S"), new("g", "S")],
            GlobalSecondaryIndexes = [new() { IndexName = "byG", KeySchema = [new("g", KeyType.HASH)], Projection = new() { ProjectionType = ProjectionType.KEYS_ONLY } }],
        });
        await Ddb().PutItemAsync(table, Item(("pk", S("1")), ("g", S("x")), ("other", S("o"))));
        await Ddb().PutItemAsync(table, Item(("pk", S("2")), ("g", S("y"))));
        await Ddb().PutItemAsync(table, Item(("pk", S("3"))));

        var viaIndex = Assert.Single((await Run($"SELECT * FROM \"{table}\".\"byG\" WHERE g = 'x'")).Items);
        Assert.Equal(["g", "pk"], viaIndex.Keys.Order());
        Assert.Equal(2, (await Run($"SELECT pk FROM \"{table}\".\"byG\"")).Items.Count);
        Assert.Equal("One or more parameter values were invalid: Global secondary index byG does not project [other]",
            (await Fails<AmazonDynamoDBException>($"SELECT other FROM \"{table}\".\"byG\" WHERE g = 'x'")).Message);
        Assert.Equal("The table does not have the specified index", (await Fails<AmazonDynamoDBException>($"SELECT * FROM \"{table}\".\"nope\"")).Message);
        var consistent = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"SELECT * FROM \"{table}\".\"byG\" WHERE g = 'x'",
            ConsistentRead = true,
        }));
        Assert.Equal("Strongly consistent read is not supported on Global Secondary Indexes", consistent.Message);
    }

    [Fact]
    public async Task Batch_statements_succeed_or_fail_one_by_one()
    {
        var table = await NewTable();
        await Ddb().PutItemAsync(table, Item(("pk", S("dup")), ("v", N("1"))));
        var writes = await Ddb().BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new() { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'v': 1}}", Parameters = [S("new")] },
                new() { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'dup'}}" },
                new() { Statement = $"UPDATE \"{table}\" SET v = 9 WHERE pk = 'dup' AND v = 2" },
                new() { Statement = $"UPDATE \"{table}\" SET v = v + 1 WHERE pk = 'dup' RETURNING ALL NEW *" },
                new() { Statement = "DELETE FROM \"missing-table\" WHERE pk = 'x'" },
                new() { Statement = "SLECT" },
            ],
        });
        Assert.Null(writes.Responses[0].Error);
        Assert.Equal(table, writes.Responses[0].TableName);
        Assert.Equal("DuplicateItem", writes.Responses[1].Error.Code);
        Assert.Equal("ConditionalCheckFailed", writes.Responses[2].Error.Code);
        Assert.Equal("2", writes.Responses[3].Item["v"].N);
        Assert.Equal("ResourceNotFound", writes.Responses[4].Error.Code);
        Assert.Equal("ValidationError", writes.Responses[5].Error.Code);
        Assert.Equal("Statement wasn't well formed, can't be processed: Expected data manipulation", writes.Responses[5].Error.Message);

        var reads = await Ddb().BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new() { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'new'" },
                new() { Statement = $"SELECT v FROM \"{table}\" WHERE pk = 'dup'", ConsistentRead = true },
                new() { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'absent'" },
                new() { Statement = $"SELECT * FROM \"{table}\" WHERE v = 1" },
            ],
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });
        Assert.Equal("new", reads.Responses[0].Item["pk"].S);
        Assert.Equal(["v"], reads.Responses[1].Item.Keys);
        Assert.True(reads.Responses[2].Item is null || reads.Responses[2].Item.Count == 0);
        Assert.Equal("Select statements within BatchExecuteStatement must specify the primary key in the where clause.", reads.Responses[3].Error.Message);
        Assert.Equal(2, Assert.Single(reads.ConsumedCapacity).CapacityUnits);
    }

    [Fact]
    public async Task Transactions_are_atomic_and_report_cancellation_reasons()
    {
        var table = await NewTable();
        await Ddb().PutItemAsync(table, Item(("pk", S("taken")), ("v", N("1"))));
        await Ddb().PutItemAsync(table, Item(("pk", S("other")), ("v", N("1"))));
        var e = await Assert.ThrowsAsync<TransactionCanceledException>(() => Ddb().ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new() { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'fresh'}}" },
                new() { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'taken'}}" },
                new() { Statement = $"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'other' AND v = 2)", ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD },
            ],
        }));
        Assert.Equal(["None", "DuplicateItem", "ConditionalCheckFailed"], e.CancellationReasons.Select(r => r.Code));
        Assert.Equal("1", e.CancellationReasons[2].Item["v"].N);
        Assert.False((await Ddb().GetItemAsync(table, Item(("pk", S("fresh"))))).IsItemSet);

        var request = new ExecuteTransactionRequest
        {
            ClientRequestToken = "pq-token",
            TransactStatements =
            [
                new() { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'fresh'}}" },
                new() { Statement = $"UPDATE \"{table}\" SET v = v + 1 WHERE pk = 'taken'" },
                new() { Statement = $"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'other' AND v = ?)", Parameters = [N("1")] },
            ],
        };
        await Ddb().ExecuteTransactionAsync(request);
        await Ddb().ExecuteTransactionAsync(request);
        var read = await Ddb().ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new() { Statement = $"SELECT v FROM \"{table}\" WHERE pk = 'taken'" },
                new() { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'fresh'" },
            ],
        });
        Assert.Equal("2", read.Responses[0].Item["v"].N);
        Assert.Equal("fresh", read.Responses[1].Item["pk"].S);

        var returning = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements = [new() { Statement = $"UPDATE \"{table}\" SET v = 1 WHERE pk = 'taken' RETURNING ALL NEW *" }],
        }));
        Assert.Equal("Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.", returning.Message);
        Assert.Equal("EXISTS can only be used in ExecuteTransaction write requests.",
            (await Fails<AmazonDynamoDBException>($"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'taken' AND v = 2)")).Message);
    }
}
