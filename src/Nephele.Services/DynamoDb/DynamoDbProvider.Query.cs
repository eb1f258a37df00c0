using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

using Item = Dictionary<string, AttributeValue>;

/// <summary>Query and Scan over a table or one of its indexes, page by page in key order.</summary>
public sealed partial class DynamoDbProvider
{
    private const long PageBytes = 1024 * 1024;

    private Dictionary<string, object?> Query(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var expressions = RequestExpressions.Parse(input, "KeyConditionExpression and FilterExpression are null");
        var target = Target(table, input);
        var keyCondition = expressions.KeyCondition ?? LegacyConditions.Conditions(input, "KeyConditions", "KeyConditionExpression")
            ?? throw AwsException.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        var range = KeyConditions.Range(keyCondition, table, target.HashKey, target.RangeKey);
        var forward = input.GetBool("ScanIndexForward") ?? true;
        range = range with { Descending = !forward };
        if (StartKey(ctx, table, target, input) is { } start)
            range = forward ? range with { From = start, FromInclusive = false } : range with { To = start, ToInclusive = false };
        return Read(ctx, table, target, input, expressions, expressions.Filter ?? LegacyConditions.Filter(input, "QueryFilter"), range, null);
    }

    private Dictionary<string, object?> Scan(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = DataTable(ctx.Scope, input.GetString("TableName"));
        var expressions = RequestExpressions.Parse(input, "FilterExpression is null");
        var target = Target(table, input);
        var total = input.GetInt("TotalSegments");
        var segment = input.GetInt("Segment");
        if (total is not null && segment is null)
            throw AwsException.Validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        if (segment is not null && total is null)
            throw AwsException.Validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        if (total is < 1 or > 1000000)
            throw AwsException.Validation($"1 validation error detected: Value '{total}' at 'totalSegments' failed to satisfy constraint: Member must have value {(total < 1 ? "greater than or equal to 1" : "less than or equal to 1000000")}");
        if (segment is < 0)
            throw AwsException.Validation($"1 validation error detected: Value '{segment}' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0");
        if (segment >= total)
            throw AwsException.Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}");
        var range = new KeyRange(null, false, null, false);
        if (StartKey(ctx, table, target, input) is { } start) range = range with { From = start };
        Func<string, bool>? inSegment = total is { } t && t > 1 ? key => KeyEncoding.Segment(key, t) == segment : null;
        return Read(ctx, table, target, input, expressions, expressions.Filter ?? LegacyConditions.Filter(input, "ScanFilter"), range, inSegment);
    }

    /// <summary>The table itself or the index named by IndexName.</summary>
    private static ReadTarget Target(TableRecord table, Dictionary<string, object?> input)
    {
        if (input.GetString("IndexName") is not { } name) return new ReadTarget(null, table.HashKey, table.RangeKey);
        var index = table.Index(name) ?? throw AwsException.Validation($"The table does not have the specified index: {name}");
        if (index.Global && input.GetBool("ConsistentRead") == true)
            throw AwsException.Validation("Consistent reads are not supported on global secondary indexes");
        return new ReadTarget(index, index.HashKey, index.RangeKey);
    }

    private sealed record ReadTarget(IndexRecord? Index, string HashKey, string? RangeKey);

    private static string? StartKey(RequestContext ctx, TableRecord table, ReadTarget target, Dictionary<string, object?> input)
    {
        if (input.GetStruct("ExclusiveStartKey") is not { } raw) return null;
        var key = AttributeValueWire.ReadItem(raw);
        try
        {
            var tableKey = key.Where(kv => table.KeySchema.Any(k => k.AttributeName == kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var rowKey = ItemKeys.RowKeyOfKey(table, tableKey);
            if (target.Index is not { } index) return key.Count == tableKey.Count ? rowKey : throw new AwsException("ValidationException", "");
            return ItemKeys.IndexEntryKey(index, key, rowKey) ?? throw new AwsException("ValidationException", "");
        }
        catch (AwsException)
        {
            throw AwsException.Validation("The provided starting key is invalid: The provided key element does not match the schema");
        }
    }

    private Dictionary<string, object?> Read(RequestContext ctx, TableRecord table, ReadTarget target, Dictionary<string, object?> input,
        RequestExpressions expressions, Condition? filter, KeyRange range, Func<string, bool>? inSegment)
    {
        var limit = input.GetInt("Limit");
        if (limit is < 1)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        var projection = expressions.ProjectionOrAttributesToGet(input);
        var select = input.GetString("Select") ?? (projection is null ? (target.Index is null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES") : "SPECIFIC_ATTRIBUTES");
        if (projection is not null && select != "SPECIFIC_ATTRIBUTES")
            throw AwsException.Validation($"Cannot specify the {(input.ContainsKey("AttributesToGet") ? "AttributesToGet" : "ProjectionExpression")} when choosing to get {select}");
        if (select == "ALL_PROJECTED_ATTRIBUTES" && target.Index is null)
            throw AwsException.Validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for table; use an index or another Select value");
        var fetchFromTable = select == "ALL_ATTRIBUTES" && target.Index is { ProjectionType: not "ALL" } idx
            ? (idx.Global ? throw AwsException.Validation($"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {idx.IndexName} because its projection type is not ALL") : true)
            : false;
        var rows = target.Index is { } index ? _store.IndexEntries(table, index.IndexName) : _store.Items(table);
        var consistent = input.GetBool("ConsistentRead") ?? false;
        var items = new List<object?>();
        long scanned = 0, matched = 0, bytes = 0;
        Item? lastItem = null;
        var more = false;
        var cursor = range;
        while (!more)
        {
            // No more rows than Limit still allows: a Query with Limit 100 on a large partition reads 100, not 256.
            var batch = rows.Range(ctx.Scope, cursor, limit is { } l && inSegment is null ? (int)Math.Min(256, l - scanned) : 256);
            if (batch.Count == 0) break;
            foreach (var (entryKey, value) in batch)
            {
                if (inSegment is not null && !inSegment(entryKey)) continue;
                var item = ItemCodec.Decode(value);
                var size = ItemSize.Of(item);
                if (scanned > 0 && bytes + size > PageBytes)
                {
                    more = true;
                    break;
                }
                scanned++;
                bytes += size;
                lastItem = item;
                if (fetchFromTable) item = _store.GetItem(ctx.Scope, table, entryKey[(entryKey.IndexOf('/', entryKey.IndexOf('/') + 1) + 1)..]) ?? item;
                if (filter is null || ConditionEvaluator.Evaluate(filter, item))
                {
                    matched++;
                    if (select != "COUNT")
                        items.Add(AttributeValueWire.WriteItem(projection is null ? item : Documents.Project(item, projection)));
                }
                if (scanned == limit)
                {
                    more = true;
                    break;
                }
            }
            var last = batch[^1].Key;
            cursor = range.Descending ? cursor with { To = last, ToInclusive = false } : cursor with { From = last, FromInclusive = false };
        }
        var output = new Dictionary<string, object?> { ["Count"] = matched, ["ScannedCount"] = scanned };
        if (select != "COUNT") output["Items"] = items;
        if (more && lastItem is not null) output["LastEvaluatedKey"] = AttributeValueWire.WriteItem(LastEvaluatedKey(table, target, lastItem));
        var capacity = new Capacity(table.TableName) { Read = true };
        var units = Capacity.ReadUnits(bytes, consistent);
        if (target.Index is { } ix) capacity.AddIndex(ix, units);
        else capacity.AddTable(units);
        if (capacity.Report(input.GetString("ReturnConsumedCapacity")) is { } report) output["ConsumedCapacity"] = report;
        return output;
    }

    private static Item LastEvaluatedKey(TableRecord table, ReadTarget target, Item item)
    {
        var key = ItemKeys.KeyOf(table, item);
        if (target.Index is { } index)
            foreach (var k in index.KeySchema) key[k.AttributeName] = item[k.AttributeName];
        return key;
    }
}
