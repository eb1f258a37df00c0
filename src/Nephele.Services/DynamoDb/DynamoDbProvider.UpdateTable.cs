using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb;

public sealed partial class DynamoDbProvider
{
    private Dictionary<string, object?> UpdateTable(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var table = RequireTable(ctx, input.RequireString("TableName"));
        var original = table;
        var changed = false;
        var indexStatus = new Dictionary<string, string>();
        var billing = input.GetString("BillingMode") ?? table.BillingMode;
        var throughput = TableDefinitions.ProvisionedThroughput(input.GetStruct("ProvisionedThroughput"));
        if (input.GetString("BillingMode") is { } newBilling)
        {
            if (newBilling == "PROVISIONED" && table.BillingMode != "PROVISIONED") TableDefinitions.ValidateThroughput(newBilling, throughput);
            table = table with
            {
                BillingMode = newBilling,
                LastUpdateToPayPerRequestDateTime = newBilling == "PAY_PER_REQUEST" && table.BillingMode != newBilling ? ctx.Now : table.LastUpdateToPayPerRequestDateTime,
                ProvisionedThroughput = newBilling == "PAY_PER_REQUEST" ? null : table.ProvisionedThroughput,
            };
            changed = true;
        }
        if (throughput is not null)
        {
            TableDefinitions.ValidateThroughput(billing, throughput);
            var current = table.ProvisionedThroughput;
            if (current is not null && input.GetString("BillingMode") is null
                && current.ReadCapacityUnits == throughput.ReadCapacityUnits && current.WriteCapacityUnits == throughput.WriteCapacityUnits)
                throw AwsException.Validation("The provisioned throughput for the table will not change. The requested value equals the current value. " +
                    $"Current ReadCapacityUnits provisioned for the table: {current.ReadCapacityUnits}. Requested ReadCapacityUnits: {throughput.ReadCapacityUnits}. " +
                    $"Current WriteCapacityUnits provisioned for the table: {current.WriteCapacityUnits}. Requested WriteCapacityUnits: {throughput.WriteCapacityUnits}. " +
                    "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
            table = table with { ProvisionedThroughput = Changed(current, throughput, ctx.Now) };
            changed = true;
        }
        if (input.GetBool("DeletionProtectionEnabled") is { } protection)
        {
            table = table with { DeletionProtectionEnabled = protection };
            changed = true;
        }
        if (input.GetString("TableClass") is { } tableClass)
        {
            table = table with { TableClass = tableClass };
            changed = true;
        }
        if (input.GetStruct("StreamSpecification") is { } stream)
        {
            table = StreamSpecifications.Apply(table, stream, ctx.Now);
            changed = true;
        }
        if (input.GetList("AttributeDefinitions") is { Count: > 0 })
        {
            var merged = table.AttributeDefinitions.ToDictionary(a => a.AttributeName);
            foreach (var d in TableDefinitions.AttributeDefinitions(input)) merged[d.AttributeName] = d;
            table = table with { AttributeDefinitions = merged.Values.ToList() };
        }
        var created = new List<IndexRecord>();
        foreach (var o in input.GetList("GlobalSecondaryIndexUpdates") ?? [])
        {
            var update = (Dictionary<string, object?>)o!;
            changed = true;
            if (update.GetStruct("Create") is { } create)
            {
                var index = TableDefinitions.Index(create, true, "globalSecondaryIndexUpdates.1.member.create", table.BillingMode);
                if (table.Index(index.IndexName) is not null)
                    throw AwsException.Validation("One or more parameter values were invalid: Index already exists: " + index.IndexName);
                table = table with { GlobalSecondaryIndexes = [.. table.GlobalSecondaryIndexes, index] };
                created.Add(index);
                indexStatus[index.IndexName] = "CREATING";
            }
            else if (update.GetStruct("Delete") is { } delete)
            {
                var indexName = delete.RequireString("IndexName");
                if (table.GlobalSecondaryIndexes.All(i => i.IndexName != indexName))
                    throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Requested resource not found: Index: {indexName} not found");
                table = table with { GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.Where(i => i.IndexName != indexName).ToList() };
            }
            else if (update.GetStruct("Update") is { } change)
            {
                var indexName = change.RequireString("IndexName");
                var index = table.GlobalSecondaryIndexes.FirstOrDefault(i => i.IndexName == indexName)
                    ?? throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Requested resource not found: Index: {indexName} not found");
                var t = TableDefinitions.ProvisionedThroughput(change.GetStruct("ProvisionedThroughput"));
                TableDefinitions.ValidateThroughput(table.BillingMode, t, indexName);
                var updated = index with { ProvisionedThroughput = Changed(index.ProvisionedThroughput, t!, ctx.Now) };
                table = table with { GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.Select(i => i.IndexName == indexName ? updated : i).ToList() };
                indexStatus[indexName] = "UPDATING";
            }
        }
        if (!changed)
            throw AwsException.Validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        if (table.BillingMode == "PROVISIONED")
            foreach (var g in table.GlobalSecondaryIndexes.Where(g => g.ProvisionedThroughput is null))
                throw AwsException.Validation($"One or more parameter values were invalid: ProvisionedThroughput must be specified for index: {g.IndexName}");
        // Definitions only a deleted index used go with it.
        var keyNames = table.KeySchema.Concat(table.Indexes.SelectMany(i => i.KeySchema)).Select(k => k.AttributeName).ToHashSet();
        table = table with
        {
            AttributeDefinitions = table.AttributeDefinitions
                .Where(a => keyNames.Contains(a.AttributeName) || original.AttributeDefinitions.All(o => o.AttributeName != a.AttributeName)).ToList(),
        };
        TableDefinitions.CheckDefinitions(table.AttributeDefinitions, table.KeySchema, table.Indexes);
        _store.Put(ctx.Scope, table);
        // New indexes are backfilled right away, inside this transaction, so they are queryable when the call returns.
        foreach (var index in created) _store.Backfill(ctx.Scope, table, index);
        foreach (var removed in original.GlobalSecondaryIndexes.Where(i => table.Index(i.IndexName) is null))
        {
            _store.Purge(ctx.Scope, _store.IndexEntries(original, removed.IndexName));
            _store.DropIndexStats(ctx.Scope, table, removed.IndexName);
        }
        var description = TableDescriptions.Describe(table, _store.Stats(ctx.Scope, table), "UPDATING", indexStatus);
        return new Dictionary<string, object?> { ["TableDescription"] = description };
    });

    private static Throughput Changed(Throughput? current, Throughput requested, DateTimeOffset now)
    {
        var increase = current is null || requested.ReadCapacityUnits > current.ReadCapacityUnits || requested.WriteCapacityUnits > current.WriteCapacityUnits;
        var decrease = current is not null && (requested.ReadCapacityUnits < current.ReadCapacityUnits || requested.WriteCapacityUnits < current.WriteCapacityUnits);
        return requested with
        {
            LastIncreaseDateTime = increase ? now : current?.LastIncreaseDateTime,
            LastDecreaseDateTime = decrease ? now : current?.LastDecreaseDateTime,
            NumberOfDecreasesToday = (current?.NumberOfDecreasesToday ?? 0) + (decrease ? 1 : 0),
        };
    }
}
