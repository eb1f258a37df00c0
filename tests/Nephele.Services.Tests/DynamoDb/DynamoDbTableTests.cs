using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbTableTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Create_table_answers_creating_and_describe_answers_active_with_ids_and_arns()
    {
        var name = NewName();
        var created = await Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N), new("g", ScalarAttributeType.S)],
            ProvisionedThroughput = new ProvisionedThroughput(5, 3),
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "byG",
                    KeySchema = [new("g", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                    ProvisionedThroughput = new ProvisionedThroughput(1, 1),
                },
            ],
        });
        Assert.Equal(TableStatus.CREATING, created.TableDescription.TableStatus);
        var table = (await Ddb().DescribeTableAsync(name)).Table;
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        Assert.Equal($"arn:aws:dynamodb:us-east-1:000000000000:table/{name}", table.TableArn);
        Assert.True(Guid.TryParse(table.TableId, out _));
        Assert.Equal(5, table.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(0, table.ItemCount);
        var gsi = Assert.Single(table.GlobalSecondaryIndexes);
        Assert.Equal($"{table.TableArn}/index/byG", gsi.IndexArn);
        Assert.Equal(IndexStatus.ACTIVE, gsi.IndexStatus);
        Assert.Equal(BillingMode.PROVISIONED, table.BillingModeSummary.BillingMode);
    }

    [Fact]
    public async Task Describe_of_a_missing_table_is_resource_not_found()
    {
        var e = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Ddb().DescribeTableAsync("nope-table"));
        Assert.Equal("Requested resource not found: Table: nope-table not found", e.Message);
    }

    [Fact]
    public async Task Creating_an_existing_table_is_resource_in_use()
    {
        var name = await NewTable();
        var e = await Assert.ThrowsAsync<ResourceInUseException>(() => Ddb().CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        }));
        Assert.Equal($"Table already exists: {name}", e.Message);
    }

    [Theory]
    [InlineData("undefined", "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]")]
    [InlineData("unused", "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")]
    [InlineData("range-first", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type")]
    [InlineData("no-throughput", "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")]
    public async Task Invalid_key_schemas_get_aws_messages(string problem, string message)
    {
        var request = new CreateTableRequest
        {
            TableName = NewName(),
            BillingMode = problem == "no-throughput" ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
        };
        if (problem == "undefined") request.KeySchema.Add(new("sk", KeyType.RANGE));
        if (problem == "unused") request.AttributeDefinitions.Add(new("x", ScalarAttributeType.S));
        if (problem == "range-first")
        {
            request.KeySchema = [new("sk", KeyType.RANGE), new("pk", KeyType.HASH)];
            request.AttributeDefinitions.Add(new("sk", ScalarAttributeType.S));
        }
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().CreateTableAsync(request));
        Assert.Equal("ValidationException", e.ErrorCode);
        Assert.Equal(message, e.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Ddb().DescribeTableAsync(request.TableName));
    }

    [Fact]
    public async Task List_tables_pages_with_limit_and_last_evaluated_name()
    {
        var other = Nephele.Client((c, cfg) => new AmazonDynamoDBClient(c, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig(), accessKey: "111122223333");
        foreach (var n in new[] { "list-a", "list-b", "list-c" })
            await other.CreateTableAsync(new CreateTableRequest(n, [new("pk", KeyType.HASH)], [new("pk", ScalarAttributeType.S)], null) { BillingMode = BillingMode.PAY_PER_REQUEST });
        var first = await other.ListTablesAsync(new ListTablesRequest { Limit = 2 });
        Assert.Equal(["list-a", "list-b"], first.TableNames);
        Assert.Equal("list-b", first.LastEvaluatedTableName);
        var second = await other.ListTablesAsync(new ListTablesRequest { Limit = 2, ExclusiveStartTableName = first.LastEvaluatedTableName });
        Assert.Equal(["list-c"], second.TableNames);
        Assert.Null(second.LastEvaluatedTableName);
    }

    [Fact]
    public async Task Delete_table_removes_it_and_its_items()
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, Item(("pk", S("a"))));
        var deleted = await Ddb().DeleteTableAsync(name);
        Assert.Equal(TableStatus.DELETING, deleted.TableDescription.TableStatus);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Ddb().DescribeTableAsync(name));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Ddb().GetItemAsync(name, Item(("pk", S("a")))));
    }

    [Fact]
    public async Task Describe_counts_items_and_their_size()
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, Item(("pk", S("abc")), ("v", S("12345"))));
        var table = (await Ddb().DescribeTableAsync(name)).Table;
        Assert.Equal(1, table.ItemCount);
        Assert.Equal(2 + 3 + 1 + 5, table.TableSizeBytes);
    }

    [Fact]
    public async Task Update_table_adds_a_global_index_backfilled_from_existing_items()
    {
        var name = await NewTable();
        await Ddb().PutItemAsync(name, Item(("pk", S("1")), ("color", S("red"))));
        await Ddb().PutItemAsync(name, Item(("pk", S("2")), ("color", S("blue"))));
        await Ddb().PutItemAsync(name, Item(("pk", S("3"))));
        var updated = await Ddb().UpdateTableAsync(new UpdateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new("color", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate
                {
                    Create = new CreateGlobalSecondaryIndexAction
                    {
                        IndexName = "byColor",
                        KeySchema = [new("color", KeyType.HASH)],
                        Projection = new Projection { ProjectionType = ProjectionType.ALL },
                    },
                },
            ],
        });
        Assert.Equal(IndexStatus.CREATING, updated.TableDescription.GlobalSecondaryIndexes[0].IndexStatus);
        var red = await Ddb().QueryAsync(new QueryRequest
        {
            TableName = name,
            IndexName = "byColor",
            KeyConditionExpression = "color = :c",
            ExpressionAttributeValues = new() { [":c"] = S("red") },
        });
        Assert.Equal("1", Assert.Single(red.Items)["pk"].S);
        var described = (await Ddb().DescribeTableAsync(name)).Table;
        Assert.Equal(2, described.GlobalSecondaryIndexes[0].ItemCount);

        await Ddb().UpdateTableAsync(new UpdateTableRequest
        {
            TableName = name,
            GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Delete = new DeleteGlobalSecondaryIndexAction { IndexName = "byColor" } }],
        });
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().QueryAsync(new QueryRequest
        {
            TableName = name,
            IndexName = "byColor",
            KeyConditionExpression = "color = :c",
            ExpressionAttributeValues = new() { [":c"] = S("red") },
        }));
        Assert.Equal("The table does not have the specified index: byColor", e.Message);
    }

    [Fact]
    public async Task Update_table_switches_billing_mode_and_rejects_unchanged_throughput()
    {
        var name = await NewTable();
        await Ddb().UpdateTableAsync(new UpdateTableRequest { TableName = name, BillingMode = BillingMode.PROVISIONED, ProvisionedThroughput = new ProvisionedThroughput(2, 2) });
        var table = (await Ddb().DescribeTableAsync(name)).Table;
        Assert.Equal(BillingMode.PROVISIONED, table.BillingModeSummary.BillingMode);
        Assert.Equal(2, table.ProvisionedThroughput.WriteCapacityUnits);
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Ddb().UpdateTableAsync(new UpdateTableRequest { TableName = name, ProvisionedThroughput = new ProvisionedThroughput(2, 2) }));
        Assert.StartsWith("The provisioned throughput for the table will not change.", e.Message);
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed_by_table_arn()
    {
        var name = await NewTable();
        var arn = (await Ddb().DescribeTableAsync(name)).Table.TableArn;
        await Ddb().TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "env", Value = "dev" }, new Tag { Key = "team", Value = "a" }] });
        await Ddb().UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["team"] });
        var tags = await Ddb().ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn });
        var tag = Assert.Single(tags.Tags);
        Assert.Equal(("env", "dev"), (tag.Key, tag.Value));
    }

    [Fact]
    public async Task Time_to_live_and_point_in_time_recovery_are_described_after_update()
    {
        var name = await NewTable();
        Assert.Equal(TimeToLiveStatus.DISABLED, (await Ddb().DescribeTimeToLiveAsync(name)).TimeToLiveDescription.TimeToLiveStatus);
        await Ddb().UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = name, TimeToLiveSpecification = new() { Enabled = true, AttributeName = "exp" } });
        var ttl = (await Ddb().DescribeTimeToLiveAsync(name)).TimeToLiveDescription;
        Assert.Equal((TimeToLiveStatus.ENABLED, "exp"), (ttl.TimeToLiveStatus, ttl.AttributeName));
        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Ddb().UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = name, TimeToLiveSpecification = new() { Enabled = true, AttributeName = "exp" } }));
        Assert.Equal("TimeToLive is already enabled", again.Message);

        var backups = await Ddb().DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = name });
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, backups.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        var updated = await Ddb().UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = name,
            PointInTimeRecoverySpecification = new() { PointInTimeRecoveryEnabled = true },
        });
        Assert.Equal(PointInTimeRecoveryStatus.ENABLED, updated.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
    }

    [Fact]
    public async Task Limits_and_endpoints_are_described()
    {
        var limits = await Ddb().DescribeLimitsAsync(new DescribeLimitsRequest());
        Assert.Equal(40000, limits.TableMaxReadCapacityUnits);
        var endpoints = await Ddb().DescribeEndpointsAsync(new DescribeEndpointsRequest());
        Assert.Equal("dynamodb.us-east-1.amazonaws.com", Assert.Single(endpoints.Endpoints).Address);
    }

    [Fact]
    public async Task Deletion_protection_blocks_delete_table()
    {
        var name = NewName();
        await Ddb().CreateTableAsync(new CreateTableRequest(name, [new("pk", KeyType.HASH)], [new("pk", ScalarAttributeType.S)], null)
        {
            BillingMode = BillingMode.PAY_PER_REQUEST,
            DeletionProtectionEnabled = true,
        });
        var e = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Ddb().DeleteTableAsync(name));
        Assert.Contains("can't be deleted while DeletionProtectionEnabled is set to True", e.Message);
    }
}
