using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>The TableDescription shape of DescribeTable, CreateTable, UpdateTable and DeleteTable.</summary>
internal static class TableDescriptions
{
    public static Dictionary<string, object?> Describe(TableRecord t, TableStats stats, string status,
        IReadOnlyDictionary<string, string>? indexStatus = null)
    {
        var d = new Dictionary<string, object?>
        {
            ["AttributeDefinitions"] = t.AttributeDefinitions.Select(a => (object?)new Dictionary<string, object?>
            {
                ["AttributeName"] = a.AttributeName,
                ["AttributeType"] = a.AttributeType,
            }).ToList(),
            ["TableName"] = t.TableName,
            ["KeySchema"] = KeySchema(t.KeySchema),
            ["TableStatus"] = status,
            ["CreationDateTime"] = t.CreationDateTime,
            ["ProvisionedThroughput"] = Throughput(t.ProvisionedThroughput),
            ["TableSizeBytes"] = stats.SizeBytes,
            ["ItemCount"] = stats.ItemCount,
            ["TableArn"] = t.TableArn,
            ["TableId"] = t.TableId,
            ["BillingModeSummary"] = new Dictionary<string, object?>
            {
                ["BillingMode"] = t.BillingMode,
                ["LastUpdateToPayPerRequestDateTime"] = t.LastUpdateToPayPerRequestDateTime,
            },
            ["DeletionProtectionEnabled"] = t.DeletionProtectionEnabled,
        };
        if (t.TableClass != "STANDARD")
            d["TableClassSummary"] = new Dictionary<string, object?> { ["TableClass"] = t.TableClass };
        if (t.LocalSecondaryIndexes.Count > 0)
            d["LocalSecondaryIndexes"] = t.LocalSecondaryIndexes.Select(i => (object?)Index(t, i, stats, null)).ToList();
        if (t.GlobalSecondaryIndexes.Count > 0)
            d["GlobalSecondaryIndexes"] = t.GlobalSecondaryIndexes
                .Select(i => (object?)Index(t, i, stats, indexStatus?.GetValueOrDefault(i.IndexName) ?? "ACTIVE")).ToList();
        if (t.StreamViewType is not null)
        {
            d["StreamSpecification"] = new Dictionary<string, object?> { ["StreamEnabled"] = t.StreamEnabled, ["StreamViewType"] = t.StreamViewType };
            d["LatestStreamLabel"] = t.LatestStreamLabel;
            d["LatestStreamArn"] = $"{t.TableArn}/stream/{t.LatestStreamLabel}";
        }
        if (t.Sse is { } sse) d["SSEDescription"] = SseSpecifications.Describe(sse);
        if (t.Restore is { } restore)
        {
            var summary = new Dictionary<string, object?> { ["RestoreDateTime"] = restore.RestoreDateTime, ["RestoreInProgress"] = status == "CREATING" };
            if (restore.SourceBackupArn is not null) summary["SourceBackupArn"] = restore.SourceBackupArn;
            if (restore.SourceTableArn is not null) summary["SourceTableArn"] = restore.SourceTableArn;
            d["RestoreSummary"] = summary;
        }
        return d;
    }

    private static Dictionary<string, object?> Index(TableRecord t, IndexRecord i, TableStats stats, string? status)
    {
        var s = stats.Indexes.GetValueOrDefault(i.IndexName) ?? [0, 0];
        var d = new Dictionary<string, object?>
        {
            ["IndexName"] = i.IndexName,
            ["KeySchema"] = KeySchema(i.KeySchema),
            ["Projection"] = Projection(i),
            ["IndexSizeBytes"] = s[1],
            ["ItemCount"] = s[0],
            ["IndexArn"] = $"{t.TableArn}/index/{i.IndexName}",
        };
        if (status is not null)
        {
            d["IndexStatus"] = status;
            d["ProvisionedThroughput"] = Throughput(i.ProvisionedThroughput);
            if (status == "CREATING") d["Backfilling"] = false;
        }
        return d;
    }

    public static Dictionary<string, object?> Projection(IndexRecord i)
    {
        var p = new Dictionary<string, object?> { ["ProjectionType"] = i.ProjectionType };
        if (i.NonKeyAttributes is { Count: > 0 } extra) p["NonKeyAttributes"] = extra.Select(a => (object?)a).ToList();
        return p;
    }

    public static List<object?> KeySchema(List<KeyElement> keys) => keys.Select(k => (object?)new Dictionary<string, object?>
    {
        ["AttributeName"] = k.AttributeName,
        ["KeyType"] = k.KeyType,
    }).ToList();

    private static Dictionary<string, object?> Throughput(Throughput? p)
    {
        var d = new Dictionary<string, object?>
        {
            ["NumberOfDecreasesToday"] = p?.NumberOfDecreasesToday ?? 0,
            ["ReadCapacityUnits"] = p?.ReadCapacityUnits ?? 0,
            ["WriteCapacityUnits"] = p?.WriteCapacityUnits ?? 0,
        };
        if (p?.LastIncreaseDateTime is { } inc) d["LastIncreaseDateTime"] = inc;
        if (p?.LastDecreaseDateTime is { } dec) d["LastDecreaseDateTime"] = dec;
        return d;
    }

    public static string IndexArn(TableRecord t, string index) => $"{t.TableArn}/index/{index}";

    public static string ScopeArn(Scope scope, string table) => $"arn:aws:dynamodb:{scope.Region}:{scope.AccountId}:table/{table}";
}
