using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>BatchGetItem (up to 100 keys) and BatchWriteItem (up to 25 puts and deletes).</summary>
public sealed partial class DynamoDbProvider
{
    /// <summary>BatchGetItem returns at most 16 MB of items per call.</summary>
    private const long MaxBatchGetBytes = 16L * 1024 * 1024;

    private Dictionary<string, object?> BatchGetItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var request = input.GetStruct("RequestItems") ?? [];
        if (request.Count == 0)
            throw AwsException.Validation("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        var total = request.Values.Sum(v => ((Dictionary<string, object?>)v!).GetList("Keys")?.Count ?? 0);
        if (total > 100) throw AwsException.Validation("Too many items requested for the BatchGetItem call");
        var plans = new List<(string Name, Dictionary<string, object?> Spec, TableRecord Table, List<string> RowKeys, List<DocumentPath>? Projection, bool Consistent)>();
        foreach (var (name, raw) in request)
        {
            var spec = (Dictionary<string, object?>)raw!;
            var table = DataTable(ctx.Scope, name);
            var keys = spec.GetList("Keys") ?? [];
            if (keys.Count == 0)
                throw AwsException.Validation($"1 validation error detected: Value '[]' at 'requestItems.{name}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            var rowKeys = keys.Select(k => ItemKeys.RowKeyOfKey(table, AttributeValueWire.ReadItem((Dictionary<string, object?>)k!))).ToList();
            if (rowKeys.Distinct().Count() != rowKeys.Count) throw AwsException.Validation("Provided list of item keys contains duplicates");
            var projection = RequestExpressions.Parse(spec, "ProjectionExpression is null").ProjectionOrAttributesToGet(spec);
            plans.Add((name, spec, table, rowKeys, projection, spec.GetBool("ConsistentRead") ?? false));
        }
        var responses = new Dictionary<string, object?>();
        var unprocessed = new Dictionary<string, object?>();
        var consumed = new List<object?>();
        long responseBytes = 0;
        var full = false;
        foreach (var (name, spec, table, rowKeys, projection, consistent) in plans)
        {
            var items = new List<object?>();
            var capacity = new Capacity(table.TableName) { Read = true };
            var read = 0;
            for (; read < rowKeys.Count && !full; read++)
            {
                var item = _store.GetItem(ctx.Scope, table, rowKeys[read]);
                var returned = item is null || projection is null ? item : Documents.Project(item, projection);
                var size = returned is null ? 0 : ItemSize.Of(returned);
                // The 16 MB response limit: the item that would cross it and every key after it are left unprocessed.
                if (responseBytes + size > MaxBatchGetBytes)
                {
                    full = true;
                    break;
                }
                responseBytes += size;
                capacity.AddTable(Capacity.ReadUnits(item is null ? 0 : ItemSize.Of(item), consistent));
                if (returned is not null) items.Add(AttributeValueWire.WriteItem(returned));
            }
            if (read < rowKeys.Count) unprocessed[name] = Unprocessed(spec, read);
            if (read == 0) continue;
            responses[table.TableName] = items;
            if (capacity.Report(input.GetString("ReturnConsumedCapacity")) is { } report) consumed.Add(report);
        }
        var output = new Dictionary<string, object?> { ["Responses"] = responses, ["UnprocessedKeys"] = unprocessed };
        if (consumed.Count > 0) output["ConsumedCapacity"] = consumed;
        return output;
    }

    /// <summary>
    /// UnprocessedKeys for one table of a BatchGetItem: the keys from <paramref name="first"/> on, with the request's
    /// ProjectionExpression, ExpressionAttributeNames, ConsistentRead and AttributesToGet, so the caller can resend it as is.
    /// </summary>
    private static Dictionary<string, object?> Unprocessed(Dictionary<string, object?> spec, int first)
    {
        var rest = new Dictionary<string, object?> { ["Keys"] = spec.GetList("Keys")!.Skip(first).ToList() };
        foreach (var member in (string[])["ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead", "AttributesToGet"])
            if (spec.GetValueOrDefault(member) is { } value) rest[member] = value;
        return rest;
    }

    private Dictionary<string, object?> BatchWriteItem(RequestContext ctx, Dictionary<string, object?> input)
    {
        var request = input.GetStruct("RequestItems") ?? [];
        if (request.Count == 0)
            throw AwsException.Validation("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        var total = request.Values.Sum(v => ((List<object?>)v!).Count);
        if (total > 25 || request.Values.Any(v => ((List<object?>)v!).Count == 0))
            throw AwsException.Validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: " +
                "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        var metrics = WantsItemCollectionMetrics(input);
        var writes = new List<(TableRecord Table, string RowKey, Dictionary<string, AttributeValue> Key, Dictionary<string, AttributeValue>? Item)>();
        foreach (var (name, raw) in request)
        {
            var table = DataTable(ctx.Scope, name);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var o in (List<object?>)raw!)
            {
                var write = (Dictionary<string, object?>)o!;
                if (write.GetStruct("PutRequest") is { } put)
                {
                    var item = AttributeValueWire.ReadItem(put.GetStruct("Item"));
                    var rowKey = ValidateItem(table, item);
                    if (!seen.Add(rowKey)) throw AwsException.Validation("Provided list of item keys contains duplicates");
                    writes.Add((table, rowKey, ItemKeys.KeyOf(table, item), item));
                }
                else if (write.GetStruct("DeleteRequest") is { } delete)
                {
                    var key = AttributeValueWire.ReadItem(delete.GetStruct("Key"));
                    var rowKey = ItemKeys.RowKeyOfKey(table, key);
                    if (!seen.Add(rowKey)) throw AwsException.Validation("Provided list of item keys contains duplicates");
                    writes.Add((table, rowKey, key, null));
                }
                else
                {
                    throw AwsException.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
            }
        }
        var capacities = new Dictionary<string, Capacity>();
        _store.Transaction(() =>
        {
            foreach (var (table, rowKey, _, item) in writes)
            {
                var old = _store.GetItem(ctx.Scope, table, rowKey);
                _store.WriteItem(ctx.Scope, table, rowKey, old, item);
                if (!capacities.TryGetValue(table.TableName, out var capacity)) capacities[table.TableName] = capacity = new Capacity(table.TableName);
                capacity.AddWrite(table, old, item);
            }
            return 0;
        });
        var output = new Dictionary<string, object?> { ["UnprocessedItems"] = new Dictionary<string, object?>() };
        var consumed = capacities.Values.Select(c => (object?)c.Report(input.GetString("ReturnConsumedCapacity"))).Where(r => r is not null).ToList();
        if (consumed.Count > 0) output["ConsumedCapacity"] = consumed;
        if (metrics && ItemCollectionMetrics(ctx, writes.Select(w => (w.Table, (IReadOnlyDictionary<string, AttributeValue>)w.Key))) is { } collections)
            output["ItemCollectionMetrics"] = collections;
        return output;
    }
}
