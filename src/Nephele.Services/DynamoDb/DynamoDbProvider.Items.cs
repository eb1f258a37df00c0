using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

using Item = Dictionary<string, AttributeValue>;

public sealed partial class DynamoDbProvider
{
    private Dictionary<string, object?> PutItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var returnValues = ReturnValues(input, "NONE", "ALL_OLD");
        var item = AttributeValueWire.ReadItem(input.GetStruct("Item"));
        var expressions = RequestExpressions.Parse(input, "ConditionExpression is null");
        var condition = expressions.Condition ?? LegacyConditions.Expected(input);
        var rowKey = ValidateItem(table, item);
        var capacity = new Capacity(table.TableName);
        var old = _store.Transaction(() =>
        {
            var old = _store.GetItem(ctx.Scope, table, rowKey);
            EnsureCondition(condition, old, input);
            _store.WriteItem(ctx.Scope, table, rowKey, old, item);
            capacity.AddWrite(table, old, item);
            return old;
        });
        var output = WriteOutput(input, capacity);
        AddItemCollectionMetrics(ctx, output, input, table, item);
        if (returnValues == "ALL_OLD" && old is not null) output["Attributes"] = AttributeValueWire.WriteItem(old);
        return output;
    }

    private Dictionary<string, object?> GetItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var rowKey = ItemKeys.RowKeyOfKey(table, AttributeValueWire.ReadItem(input.GetStruct("Key")));
        var expressions = RequestExpressions.Parse(input, "ProjectionExpression is null");
        var projection = expressions.ProjectionOrAttributesToGet(input);
        var item = _store.GetItem(ctx.Scope, table, rowKey);
        var consistent = input.GetBool("ConsistentRead") ?? false;
        var capacity = new Capacity(table.TableName) { Read = true };
        capacity.AddTable(Capacity.ReadUnits(item is null ? 0 : ItemSize.Of(item), consistent));
        var output = new Dictionary<string, object?>();
        if (item is not null)
            output["Item"] = AttributeValueWire.WriteItem(projection is null ? item : Documents.Project(item, projection));
        if (capacity.Report(input.GetString("ReturnConsumedCapacity")) is { } report) output["ConsumedCapacity"] = report;
        return output;
    }

    private Dictionary<string, object?> DeleteItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var returnValues = ReturnValues(input, "NONE", "ALL_OLD");
        var rowKey = ItemKeys.RowKeyOfKey(table, AttributeValueWire.ReadItem(input.GetStruct("Key")));
        var expressions = RequestExpressions.Parse(input, "ConditionExpression is null");
        var condition = expressions.Condition ?? LegacyConditions.Expected(input);
        var capacity = new Capacity(table.TableName);
        var old = _store.Transaction(() =>
        {
            var old = _store.GetItem(ctx.Scope, table, rowKey);
            EnsureCondition(condition, old, input);
            _store.WriteItem(ctx.Scope, table, rowKey, old, null);
            capacity.AddWrite(table, old, null);
            return old;
        });
        var output = WriteOutput(input, capacity);
        AddItemCollectionMetrics(ctx, output, input, table, ItemKeys.KeyOf(table, old ?? AttributeValueWire.ReadItem(input.GetStruct("Key"))));
        if (returnValues == "ALL_OLD" && old is not null) output["Attributes"] = AttributeValueWire.WriteItem(old);
        return output;
    }

    private Dictionary<string, object?> UpdateItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var returnValues = ReturnValues(input, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
        var key = AttributeValueWire.ReadItem(input.GetStruct("Key"));
        var rowKey = ItemKeys.RowKeyOfKey(table, key);
        var expressions = RequestExpressions.Parse(input, "UpdateExpression and ConditionExpression are null");
        var legacy = LegacyConditions.AttributeUpdates(input);
        var actions = expressions.Update ?? legacy;
        var condition = expressions.Condition ?? LegacyConditions.Expected(input);
        EnsureKeyNotUpdated(table, actions);
        var capacity = new Capacity(table.TableName);
        var (old, item) = _store.Transaction(() =>
        {
            var old = _store.GetItem(ctx.Scope, table, rowKey);
            EnsureCondition(condition, old, input);
            var item = ApplyUpdate(table, key, old, actions);
            _store.WriteItem(ctx.Scope, table, rowKey, old, item);
            capacity.AddWrite(table, old, item);
            return (old, item);
        });
        var output = WriteOutput(input, capacity);
        AddItemCollectionMetrics(ctx, output, input, table, key);
        var paths = actions.Select(a => a.Path).ToList();
        var attributes = returnValues switch
        {
            "ALL_OLD" => old,
            "ALL_NEW" => item,
            "UPDATED_OLD" => old is null ? null : Documents.Project(old, paths),
            "UPDATED_NEW" => Documents.Project(item, paths),
            _ => null,
        };
        if (attributes is { Count: > 0 }) output["Attributes"] = AttributeValueWire.WriteItem(attributes);
        return output;
    }

    /// <summary>The item an update produces (the key alone when it did not exist), validated like a put.</summary>
    private static Item ApplyUpdate(TableRecord table, Item key, Item? old, IReadOnlyList<UpdateAction> actions)
    {
        var item = UpdateApplier.Apply(old ?? key, actions);
        ValidateItem(table, item);
        return item;
    }

    private static void EnsureKeyNotUpdated(TableRecord table, IReadOnlyList<UpdateAction> actions)
    {
        foreach (var action in actions)
            if (table.KeySchema.Any(k => k.AttributeName == action.Path.Root))
                throw AwsException.Validation($"One or more parameter values were invalid: Cannot update attribute {action.Path.Root}. This attribute is part of the key");
    }

    /// <summary>An item to store: keys valid, within 400 KB; its row key.</summary>
    private static string ValidateItem(TableRecord table, IReadOnlyDictionary<string, AttributeValue> item)
    {
        var rowKey = ItemKeys.RowKeyOfItem(table, item);
        if (ItemSize.Of(item) > ItemSize.MaxItemBytes) throw AwsException.Validation("Item size has exceeded the maximum allowed size");
        return rowKey;
    }

    private static void EnsureCondition(Condition? condition, Item? old, Dictionary<string, object?> input)
    {
        if (condition is null || ConditionEvaluator.Evaluate(condition, old)) return;
        var fields = new Dictionary<string, object?>();
        if (input.GetString("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old is not null)
            fields["Item"] = AttributeValueWire.WriteItem(old);
        throw new AwsException("ConditionalCheckFailedException", "The conditional request failed", fields: fields);
    }

    private static string ReturnValues(Dictionary<string, object?> input, params string[] allowed)
    {
        var value = input.GetString("ReturnValues") ?? "NONE";
        if (!allowed.Contains(value))
        {
            if (value is "NONE" or "ALL_OLD" or "UPDATED_OLD" or "ALL_NEW" or "UPDATED_NEW")
                throw AwsException.Validation("Return values set to invalid value");
            throw AwsException.Validation($"1 validation error detected: Value '{value}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
        }
        return value;
    }

    private static Dictionary<string, object?> WriteOutput(Dictionary<string, object?> input, Capacity capacity)
    {
        var output = new Dictionary<string, object?>();
        if (capacity.Report(input.GetString("ReturnConsumedCapacity")) is { } report) output["ConsumedCapacity"] = report;
        return output;
    }
}
