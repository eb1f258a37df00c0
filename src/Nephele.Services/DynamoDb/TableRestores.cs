using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;
using Nephele.Services.Kms;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// What RestoreTableFromBackup and RestoreTableToPointInTime share: the new table's definition (the source's, with the
/// request's overrides) and filling it. As in AWS, a restored table gets the source's keys, indexes, billing mode,
/// throughput, encryption and table class, but not its streams, time to live, PITR, tags or deletion protection.
/// </summary>
internal static class TableRestores
{
    public static TableRecord Target(RequestContext ctx, KmsEnvelope kms, TableRecord source, Dictionary<string, object?> input, RestoreRecord restore)
    {
        var name = input.GetString("TargetTableName");
        TableDefinitions.ValidateTableName(name, "targetTableName");
        var billing = input.GetString("BillingModeOverride") ?? source.BillingMode;
        var throughput = TableDefinitions.ProvisionedThroughput(input.GetStruct("ProvisionedThroughputOverride"))
            ?? (billing == "PROVISIONED" ? source.ProvisionedThroughput ?? null : null);
        TableDefinitions.ValidateThroughput(billing, throughput);
        var gsis = input.GetList("GlobalSecondaryIndexOverride") is { } gsiOverride
            ? gsiOverride.Select((o, i) => TableDefinitions.Index((Dictionary<string, object?>)o!, true, $"globalSecondaryIndexOverride.{i + 1}.member", billing)).ToList()
            : source.GlobalSecondaryIndexes.Select(g => g with { ProvisionedThroughput = billing == "PROVISIONED" ? g.ProvisionedThroughput ?? Copy(throughput) : null }).ToList();
        var lsis = source.LocalSecondaryIndexes;
        if (input.GetList("LocalSecondaryIndexOverride") is { } lsiOverride)
        {
            lsis = lsiOverride.Select((o, i) => TableDefinitions.Index((Dictionary<string, object?>)o!, false, $"localSecondaryIndexOverride.{i + 1}.member", billing)).ToList();
            foreach (var lsi in lsis)
                if (lsi.HashKey != source.HashKey || lsi.KeySchema.Count < 2 || source.RangeKey is null)
                    throw AwsException.Validation($"One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: {lsi.IndexName}");
        }
        var names = gsis.Concat(lsis).Select(i => i.IndexName).ToList();
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw AwsException.Validation($"One or more parameter values were invalid: Duplicate index name: {dup.Key}");
        var used = source.KeySchema.Concat(gsis.Concat(lsis).SelectMany(i => i.KeySchema)).Select(k => k.AttributeName).ToHashSet(StringComparer.Ordinal);
        var definitions = source.AttributeDefinitions.Where(a => used.Contains(a.AttributeName)).ToList();
        TableDefinitions.CheckDefinitions(definitions, source.KeySchema, gsis.Concat(lsis));
        var sse = input.GetStruct("SSESpecificationOverride") is { } sseOverride ? SseSpecifications.Read(kms, ctx.Scope, sseOverride) : source.Sse;
        return new TableRecord
        {
            TableName = name!,
            TableId = Guid.NewGuid().ToString(),
            TableArn = TableDescriptions.ScopeArn(ctx.Scope, name!),
            CreationDateTime = ctx.Now,
            KeySchema = source.KeySchema,
            AttributeDefinitions = definitions,
            BillingMode = billing,
            LastUpdateToPayPerRequestDateTime = billing == "PAY_PER_REQUEST" ? ctx.Now : null,
            ProvisionedThroughput = billing == "PROVISIONED" ? Copy(throughput) : null,
            GlobalSecondaryIndexes = gsis,
            LocalSecondaryIndexes = lsis,
            TableClass = source.TableClass,
            Sse = sse,
            Restore = restore,
        };
    }

    private static Throughput? Copy(Throughput? t) => t is null ? null : new Throughput { ReadCapacityUnits = t.ReadCapacityUnits, WriteCapacityUnits = t.WriteCapacityUnits };

    /// <summary>Creates <paramref name="table"/> with <paramref name="rows"/> (row key, encoded item) in one state
    /// transaction, so nobody sees it half filled; its indexes and statistics follow each item as for a PutItem.</summary>
    public static void Create(TableStore store, Scope scope, TableRecord table, IEnumerable<KeyValuePair<string, byte[]>> rows)
    {
        store.Transaction(() =>
        {
            if (!store.Add(scope, table))
                throw new AwsException("TableAlreadyExistsException", $"Table already exists: {table.TableName}");
            foreach (var (rowKey, bytes) in rows) store.WriteItem(scope, table, rowKey, null, ItemCodec.Decode(bytes));
            return 0;
        });
    }

    /// <summary>Fails early, before any work, when the target name is taken.</summary>
    public static void CheckFree(TableStore store, Scope scope, string? name)
    {
        if (name is not null && store.Find(scope, name) is not null)
            throw new AwsException("TableAlreadyExistsException", $"Table already exists: {name}");
    }
}
