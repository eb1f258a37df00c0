using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup.</summary>
public sealed partial class DynamoDbProvider
{
    private void RegisterBackups(OperationRegistry operations) => operations
        .On("CreateBackup", CreateBackup)
        .On("DescribeBackup", DescribeBackup)
        .On("ListBackups", ListBackups)
        .On("DeleteBackup", DeleteBackup)
        .On("RestoreTableFromBackup", RestoreTableFromBackup);

    private Dictionary<string, object?> CreateBackup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("BackupName");
        TableDefinitions.ValidateTableName(name, "backupName");
        var backup = _store.Transaction(() => TakeBackup(ctx.Scope, BackupTable(ctx, input.RequireString("TableName")), name!, "USER", ctx.Now, null));
        // The backup is complete when the call returns; the response still says CREATING, as AWS's does.
        return new() { ["BackupDetails"] = BackupDetails(backup, "CREATING") };
    }

    /// <summary>Copies the table's items and definition, consistently (call inside a state transaction).</summary>
    private BackupRecord TakeBackup(Scope scope, TableRecord table, string name, string type, DateTimeOffset now, DateTimeOffset? expiry)
    {
        var stats = _store.Stats(scope, table);
        var backup = new BackupRecord
        {
            BackupArn = $"{table.TableArn}/backup/{BackupStore.BackupSuffix(now)}",
            BackupName = name,
            BackupType = type,
            BackupCreationDateTime = now,
            BackupExpiryDateTime = expiry,
            BackupSizeBytes = stats.SizeBytes,
            ItemCount = stats.ItemCount,
            SnapshotId = Guid.NewGuid().ToString("N"),
            Source = table,
        };
        var snapshot = _backups.Snapshot(backup.SnapshotId);
        string? after = null;
        while (_store.Items(table).List(scope, startAfter: after, limit: 1000) is { Count: > 0 } page)
        {
            foreach (var (rowKey, bytes) in page) snapshot.Put(scope, rowKey, bytes);
            after = page[^1].Key;
        }
        _backups.PutBackup(scope, backup);
        return backup;
    }

    private BackupRecord RequireBackup(RequestContext ctx, string? arn) =>
        (arn is null ? null : _backups.Backup(ctx.Scope, arn)) is { } b && (b.BackupExpiryDateTime is null || b.BackupExpiryDateTime > ctx.Now) ? b
            : throw new AwsException("BackupNotFoundException", $"Backup not found: {arn}");

    private Dictionary<string, object?> DescribeBackup(RequestContext ctx, Dictionary<string, object?> input) =>
        new() { ["BackupDescription"] = BackupDescription(RequireBackup(ctx, input.RequireString("BackupArn")), "AVAILABLE") };

    private Dictionary<string, object?> DeleteBackup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var backup = _store.Transaction(() =>
        {
            var b = RequireBackup(ctx, input.RequireString("BackupArn"));
            _backups.DeleteBackup(ctx.Scope, b.BackupArn);
            return b;
        });
        _store.Purge(ctx.Scope, _backups.Snapshot(backup.SnapshotId));
        return new() { ["BackupDescription"] = BackupDescription(backup, "DELETED") };
    }

    private Dictionary<string, object?> ListBackups(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = input.GetInt("Limit") ?? 100;
        if (limit is < 1 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")}");
        var type = input.GetString("BackupType") ?? "USER";
        var tableName = TableNames.Resolve(ctx.Scope, input.GetString("TableName"));
        var lower = input.GetValueOrDefault("TimeRangeLowerBound") as DateTimeOffset?;
        var upper = input.GetValueOrDefault("TimeRangeUpperBound") as DateTimeOffset?;
        if (lower > upper)
            throw AwsException.Validation("TimeRangeUpperBound must be greater than or equal to TimeRangeLowerBound");
        var start = input.GetString("ExclusiveStartBackupArn");
        var matching = _backups.Backups(ctx.Scope)
            .Where(b => b.BackupExpiryDateTime is null || b.BackupExpiryDateTime > ctx.Now)
            .Where(b => type == "ALL" || b.BackupType == type)
            .Where(b => tableName is null || b.Source.TableName == tableName)
            .Where(b => (lower is null || b.BackupCreationDateTime >= lower) && (upper is null || b.BackupCreationDateTime < upper))
            .Where(b => start is null || KeyOrder.Compare(b.BackupArn, start) > 0)
            .Take(limit + 1).ToList();
        var output = new Dictionary<string, object?>
        {
            ["BackupSummaries"] = matching.Take(limit).Select(b => (object?)BackupSummary(b)).ToList(),
        };
        if (matching.Count > limit) output["LastEvaluatedBackupArn"] = matching[limit - 1].BackupArn;
        return output;
    }

    private Dictionary<string, object?> RestoreTableFromBackup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var backup = RequireBackup(ctx, input.RequireString("BackupArn"));
        TableRestores.CheckFree(_store, ctx.Scope, input.GetString("TargetTableName"));
        var table = TableRestores.Target(ctx, _kms, backup.Source, input, new RestoreRecord(backup.BackupArn, backup.Source.TableArn, backup.BackupCreationDateTime));
        var snapshot = _backups.Snapshot(backup.SnapshotId);
        TableRestores.Create(_store, ctx.Scope, table, snapshot.List(ctx.Scope));
        // Usable at once; the response says CREATING with the restore in progress, as AWS's does.
        return new() { ["TableDescription"] = TableDescriptions.Describe(table, _store.Stats(ctx.Scope, table), "CREATING") };
    }

    private static Dictionary<string, object?> BackupDetails(BackupRecord b, string status)
    {
        var d = new Dictionary<string, object?>
        {
            ["BackupArn"] = b.BackupArn,
            ["BackupName"] = b.BackupName,
            ["BackupSizeBytes"] = b.BackupSizeBytes,
            ["BackupStatus"] = status,
            ["BackupType"] = b.BackupType,
            ["BackupCreationDateTime"] = b.BackupCreationDateTime,
        };
        if (b.BackupExpiryDateTime is { } expiry) d["BackupExpiryDateTime"] = expiry;
        return d;
    }

    private static Dictionary<string, object?> BackupSummary(BackupRecord b)
    {
        var d = new Dictionary<string, object?>
        {
            ["TableName"] = b.Source.TableName,
            ["TableId"] = b.Source.TableId,
            ["TableArn"] = b.Source.TableArn,
            ["BackupArn"] = b.BackupArn,
            ["BackupName"] = b.BackupName,
            ["BackupCreationDateTime"] = b.BackupCreationDateTime,
            ["BackupStatus"] = "AVAILABLE",
            ["BackupType"] = b.BackupType,
            ["BackupSizeBytes"] = b.BackupSizeBytes,
        };
        if (b.BackupExpiryDateTime is { } expiry) d["BackupExpiryDateTime"] = expiry;
        return d;
    }

    private static Dictionary<string, object?> BackupDescription(BackupRecord b, string status)
    {
        var t = b.Source;
        var source = new Dictionary<string, object?>
        {
            ["TableName"] = t.TableName,
            ["TableId"] = t.TableId,
            ["TableArn"] = t.TableArn,
            ["TableSizeBytes"] = b.BackupSizeBytes,
            ["KeySchema"] = TableDescriptions.KeySchema(t.KeySchema),
            ["TableCreationDateTime"] = t.CreationDateTime,
            ["ProvisionedThroughput"] = new Dictionary<string, object?>
            {
                ["ReadCapacityUnits"] = t.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
                ["WriteCapacityUnits"] = t.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            },
            ["ItemCount"] = b.ItemCount,
            ["BillingMode"] = t.BillingMode,
        };
        var features = new Dictionary<string, object?>();
        if (t.LocalSecondaryIndexes.Count > 0)
            features["LocalSecondaryIndexes"] = t.LocalSecondaryIndexes.Select(i => (object?)new Dictionary<string, object?>
            {
                ["IndexName"] = i.IndexName,
                ["KeySchema"] = TableDescriptions.KeySchema(i.KeySchema),
                ["Projection"] = TableDescriptions.Projection(i),
            }).ToList();
        if (t.GlobalSecondaryIndexes.Count > 0)
            features["GlobalSecondaryIndexes"] = t.GlobalSecondaryIndexes.Select(i => (object?)new Dictionary<string, object?>
            {
                ["IndexName"] = i.IndexName,
                ["KeySchema"] = TableDescriptions.KeySchema(i.KeySchema),
                ["Projection"] = TableDescriptions.Projection(i),
                ["ProvisionedThroughput"] = new Dictionary<string, object?>
                {
                    ["ReadCapacityUnits"] = i.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
                    ["WriteCapacityUnits"] = i.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
                },
            }).ToList();
        if (t.StreamViewType is not null)
            features["StreamDescription"] = new Dictionary<string, object?> { ["StreamEnabled"] = t.StreamEnabled, ["StreamViewType"] = t.StreamViewType };
        var ttl = new Dictionary<string, object?> { ["TimeToLiveStatus"] = t.TimeToLiveEnabled ? "ENABLED" : "DISABLED" };
        if (t.TimeToLiveEnabled) ttl["AttributeName"] = t.TimeToLiveAttribute;
        features["TimeToLiveDescription"] = ttl;
        if (t.Sse is { } sse) features["SSEDescription"] = SseSpecifications.Describe(sse);
        return new()
        {
            ["BackupDetails"] = BackupDetails(b, status),
            ["SourceTableDetails"] = source,
            ["SourceTableFeatureDetails"] = features,
        };
    }
}
