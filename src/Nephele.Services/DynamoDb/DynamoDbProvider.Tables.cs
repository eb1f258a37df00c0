using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

public sealed partial class DynamoDbProvider
{
    private Dictionary<string, object?> CreateTable(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = NewTable(ctx, input);
        if (!_store.Add(ctx.Scope, table)) throw InUse($"Table already exists: {table.TableName}");
        // The table serves requests at once; the create response still says CREATING, as AWS's does, so
        // clients that wait for ACTIVE (waiters, DescribeTable polls) see the transition.
        return new() { ["TableDescription"] = TableDescriptions.Describe(table, new TableStats(), "CREATING", table.GlobalSecondaryIndexes.ToDictionary(g => g.IndexName, _ => "CREATING")) };
    }

    /// <summary>A new table's record from CreateTable's (or ImportTable's TableCreationParameters') members, validated.</summary>
    private TableRecord NewTable(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("TableName");
        TableDefinitions.ValidateTableName(name);
        var definitions = TableDefinitions.AttributeDefinitions(input);
        var keys = TableDefinitions.KeySchema(input.GetList("KeySchema"), "keySchema");
        var billing = input.GetString("BillingMode") ?? "PROVISIONED";
        var throughput = TableDefinitions.ProvisionedThroughput(input.GetStruct("ProvisionedThroughput"));
        TableDefinitions.ValidateThroughput(billing, throughput);
        var gsis = (input.GetList("GlobalSecondaryIndexes") ?? []).Select((o, i) =>
            TableDefinitions.Index((Dictionary<string, object?>)o!, true, $"globalSecondaryIndexes.{i + 1}.member", billing)).ToList();
        var lsis = (input.GetList("LocalSecondaryIndexes") ?? []).Select((o, i) =>
            TableDefinitions.Index((Dictionary<string, object?>)o!, false, $"localSecondaryIndexes.{i + 1}.member", billing)).ToList();
        if (input.GetList("GlobalSecondaryIndexes") is { Count: 0 })
            throw AwsException.Validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
        if (input.GetList("LocalSecondaryIndexes") is { Count: 0 })
            throw AwsException.Validation("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty");
        foreach (var lsi in lsis)
        {
            if (keys.Count < 2)
                throw AwsException.Validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            if (lsi.KeySchema.Count < 2)
                throw AwsException.Validation($"One or more parameter values were invalid: Index KeySchema does not have a range key for index: {lsi.IndexName}");
            if (lsi.HashKey != keys[0].AttributeName)
                throw AwsException.Validation($"One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: {lsi.IndexName}. index hash key: {lsi.HashKey}, table hash key: {keys[0].AttributeName}");
        }
        if (gsis.Count > 20) throw AwsException.Validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        if (lsis.Count > 5) throw AwsException.Validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
        var names = gsis.Concat(lsis).Select(i => i.IndexName).ToList();
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw AwsException.Validation($"One or more parameter values were invalid: Duplicate index name: {dup.Key}");
        TableDefinitions.CheckDefinitions(definitions, keys, gsis.Concat(lsis));
        var (streamEnabled, streamViewType) = StreamSpecifications.ForCreate(input.GetStruct("StreamSpecification"));
        return new TableRecord
        {
            TableName = name!,
            TableId = Guid.NewGuid().ToString(),
            TableArn = TableDescriptions.ScopeArn(ctx.Scope, name!),
            CreationDateTime = ctx.Now,
            KeySchema = keys,
            AttributeDefinitions = definitions,
            BillingMode = billing,
            LastUpdateToPayPerRequestDateTime = billing == "PAY_PER_REQUEST" ? ctx.Now : null,
            ProvisionedThroughput = billing == "PROVISIONED" ? throughput : null,
            GlobalSecondaryIndexes = gsis,
            LocalSecondaryIndexes = lsis,
            Tags = ReadTags(input.GetList("Tags")),
            DeletionProtectionEnabled = input.GetBool("DeletionProtectionEnabled") ?? false,
            TableClass = input.GetString("TableClass") ?? "STANDARD",
            StreamEnabled = streamEnabled,
            StreamViewType = streamViewType,
            LatestStreamLabel = streamEnabled ? StreamSpecifications.NewLabel(ctx.Now, null) : null,
            Sse = SseSpecifications.Read(_kms, ctx.Scope, input.GetStruct("SSESpecification")),
        };
    }

    private Dictionary<string, object?> DescribeTable(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = TableNames.Resolve(ctx.Scope, input.RequireString("TableName"))!;
        var table = _store.Find(ctx.Scope, name) ?? throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");
        return new() { ["Table"] = TableDescriptions.Describe(table, _store.Stats(ctx.Scope, table), "ACTIVE") };
    }

    private Dictionary<string, object?> ListTables(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = input.GetInt("Limit") ?? 100;
        if (limit is < 1 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")}");
        var rows = _store.ListNames(ctx.Scope, input.GetString("ExclusiveStartTableName"), limit + 1);
        var names = rows.Take(limit).Select(r => (object?)r.Key).ToList();
        var output = new Dictionary<string, object?> { ["TableNames"] = names };
        if (rows.Count > limit) output["LastEvaluatedTableName"] = names[^1];
        return output;
    }

    private Dictionary<string, object?> DeleteTable(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = RequireTable(ctx, input.RequireString("TableName"));
        if (table.DeletionProtectionEnabled)
            throw AwsException.Validation($"1 validation error detected: Table '{table.TableName}' can't be deleted while DeletionProtectionEnabled is set to True");
        var stats = _store.Stats(ctx.Scope, table);
        // With PITR on, AWS keeps the deleted table as a SYSTEM backup for 35 days.
        if (table.PointInTimeRecoveryEnabled)
            _store.Transaction(() => TakeBackup(ctx.Scope, table, table.TableName + "$DeletedTableBackup", "SYSTEM", ctx.Now, ctx.Now.AddDays(35)));
        _store.Delete(ctx.Scope, table);
        return new() { ["TableDescription"] = TableDescriptions.Describe(table, stats, "DELETING") };
    }

    private TableRecord RequireTable(RequestContext ctx, string name) =>
        _store.Find(ctx.Scope, TableNames.Resolve(ctx.Scope, name)!) ?? throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");

    /// <summary>A table for data-plane calls, whose not-found message is shorter.</summary>
    private TableRecord DataTable(Scope scope, string? name)
    {
        name = TableNames.Resolve(scope, name);
        TableDefinitions.ValidateTableName(name);
        return _store.Find(scope, name!) ?? throw NotFound();
    }
}
