using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbBackupTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private async Task<string> TableWithIndexAndItems(int count)
    {
        var name = NewName();
        var ddb = Ddb();
        await ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N"), new AttributeDefinition("g", "S")],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-g",
                    KeySchema = [new KeySchemaElement("g", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
            SSESpecification = new SSESpecification { Enabled = true, SSEType = SSEType.KMS },
        });
        for (var i = 0; i < count; i++)
            await ddb.PutItemAsync(name, Item(("pk", S("p")), ("sk", N(i.ToString())), ("g", S(i % 2 == 0 ? "even" : "odd")), ("v", S("x" + i))));
        return name;
    }

    [Fact]
    public async Task Create_backup_snapshots_the_table_and_describe_reports_its_definition()
    {
        var table = await TableWithIndexAndItems(3);
        var ddb = Ddb();
        var created = await ddb.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "nightly" });
        var details = created.BackupDetails;
        Assert.Matches($"^arn:aws:dynamodb:us-east-1:\\d{{12}}:table/{table}/backup/\\d{{13}}-[0-9a-f]{{8}}$", details.BackupArn);
        Assert.Equal(BackupStatus.CREATING, details.BackupStatus);
        Assert.Equal(BackupType.USER, details.BackupType);
        Assert.True(details.BackupSizeBytes > 0);

        // Later writes do not change the backup.
        await ddb.PutItemAsync(table, Item(("pk", S("p")), ("sk", N("99")), ("g", S("late"))));
        var described = (await ddb.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = details.BackupArn })).BackupDescription;
        Assert.Equal(BackupStatus.AVAILABLE, described.BackupDetails.BackupStatus);
        Assert.Equal(table, described.SourceTableDetails.TableName);
        Assert.Equal(3, described.SourceTableDetails.ItemCount);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, described.SourceTableDetails.BillingMode);
        Assert.Equal("by-g", Assert.Single(described.SourceTableFeatureDetails.GlobalSecondaryIndexes).IndexName);
        Assert.Equal(StreamViewType.NEW_IMAGE, described.SourceTableFeatureDetails.StreamDescription.StreamViewType);
        Assert.Equal(SSEType.KMS, described.SourceTableFeatureDetails.SSEDescription.SSEType);
        Assert.Contains(":key/", described.SourceTableFeatureDetails.SSEDescription.KMSMasterKeyArn);
    }

    [Fact]
    public async Task Restore_from_backup_creates_a_new_table_with_the_items_and_indexes_of_the_backup()
    {
        var table = await TableWithIndexAndItems(4);
        var ddb = Ddb();
        var arn = (await ddb.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "bak1" })).BackupDetails.BackupArn;
        await ddb.DeleteItemAsync(table, new() { ["pk"] = S("p"), ["sk"] = N("0") });
        var target = NewName("r");

        var restored = (await ddb.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { TargetTableName = target, BackupArn = arn })).TableDescription;
        Assert.Equal(TableStatus.CREATING, restored.TableStatus);
        Assert.True(restored.RestoreSummary.RestoreInProgress);
        Assert.Equal(arn, restored.RestoreSummary.SourceBackupArn);

        var described = (await ddb.DescribeTableAsync(target)).Table;
        Assert.Equal(TableStatus.ACTIVE, described.TableStatus);
        Assert.False(described.RestoreSummary.RestoreInProgress);
        Assert.EndsWith($":table/{table}", described.RestoreSummary.SourceTableArn);
        Assert.Equal(4, described.ItemCount);
        Assert.Null(described.StreamSpecification);
        Assert.Equal(SSEStatus.ENABLED, described.SSEDescription.Status);
        var evens = await ddb.QueryAsync(new QueryRequest
        {
            TableName = target,
            IndexName = "by-g",
            KeyConditionExpression = "g = :g",
            ExpressionAttributeValues = new() { [":g"] = S("even") },
        });
        Assert.Equal(2, evens.Count);
        Assert.True((await ddb.GetItemAsync(target, new() { ["pk"] = S("p"), ["sk"] = N("0") })).IsItemSet);
    }

    [Fact]
    public async Task Restore_applies_billing_index_and_throughput_overrides()
    {
        var table = await TableWithIndexAndItems(2);
        var ddb = Ddb();
        var arn = (await ddb.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "bak2" })).BackupDetails.BackupArn;
        var target = NewName("r");
        await ddb.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            TargetTableName = target,
            BackupArn = arn,
            BillingModeOverride = BillingMode.PROVISIONED,
            ProvisionedThroughputOverride = new ProvisionedThroughput(7, 3),
            GlobalSecondaryIndexOverride = [],
            SSESpecificationOverride = new SSESpecification { Enabled = false },
        });
        var described = (await ddb.DescribeTableAsync(target)).Table;
        Assert.Equal(BillingMode.PROVISIONED, described.BillingModeSummary.BillingMode);
        Assert.Equal(7, described.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Null(described.GlobalSecondaryIndexes);
        Assert.Null(described.SSEDescription);
        Assert.Equal(2, described.AttributeDefinitions.Count);
        Assert.Equal(2, described.ItemCount);
    }

    [Fact]
    public async Task Backup_and_restore_errors_are_dynamodbs()
    {
        var ddb = Ddb();
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() =>
            ddb.CreateBackupAsync(new CreateBackupRequest { TableName = "no-such-table", BackupName = "bak" }));
        Assert.Equal("Table not found: no-such-table", missing.Message);
        var table = await TableWithIndexAndItems(1);
        var arn = (await ddb.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "bak" })).BackupDetails.BackupArn;
        var exists = await Assert.ThrowsAsync<TableAlreadyExistsException>(() =>
            ddb.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { TargetTableName = table, BackupArn = arn }));
        Assert.Equal($"Table already exists: {table}", exists.Message);

        var deleted = (await ddb.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = arn })).BackupDescription;
        Assert.Equal(BackupStatus.DELETED, deleted.BackupDetails.BackupStatus);
        var gone = await Assert.ThrowsAsync<BackupNotFoundException>(() => ddb.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arn }));
        Assert.Equal($"Backup not found: {arn}", gone.Message);
        await Assert.ThrowsAsync<BackupNotFoundException>(() =>
            ddb.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { TargetTableName = NewName(), BackupArn = arn }));
    }

    [Fact]
    public async Task List_backups_filters_by_table_and_type_and_pages()
    {
        var table = await TableWithIndexAndItems(1);
        var ddb = Ddb();
        var arns = new List<string>();
        for (var i = 0; i < 3; i++)
            arns.Add((await ddb.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "bak" + i })).BackupDetails.BackupArn);

        var first = await ddb.ListBackupsAsync(new ListBackupsRequest { TableName = table, Limit = 2 });
        Assert.Equal(2, first.BackupSummaries.Count);
        Assert.NotNull(first.LastEvaluatedBackupArn);
        var second = await ddb.ListBackupsAsync(new ListBackupsRequest { TableName = table, Limit = 2, ExclusiveStartBackupArn = first.LastEvaluatedBackupArn });
        Assert.Single(second.BackupSummaries);
        Assert.Null(second.LastEvaluatedBackupArn);
        Assert.Equal(arns.Order(StringComparer.Ordinal), first.BackupSummaries.Concat(second.BackupSummaries).Select(b => b.BackupArn));
        Assert.All(first.BackupSummaries, b => Assert.Equal(table, b.TableName));

        Assert.Empty((await ddb.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.SYSTEM })).BackupSummaries);
        Assert.Empty((await ddb.ListBackupsAsync(new ListBackupsRequest { TableName = table, TimeRangeLowerBound = DateTime.UtcNow.AddDays(1) })).BackupSummaries);
    }
}
