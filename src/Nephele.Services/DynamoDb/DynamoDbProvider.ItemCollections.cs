using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// ReturnItemCollectionMetrics SIZE: on a table with local secondary indexes, the size of the written item's
/// collection (the table's items and local index entries sharing its partition key) as DynamoDB's gigabyte range.
/// </summary>
public sealed partial class DynamoDbProvider
{
    private const double BytesPerGb = 1024d * 1024 * 1024;

    /// <summary>Whether the request asks for SIZE; anything but SIZE or NONE is DynamoDB's enum error.</summary>
    private static bool WantsItemCollectionMetrics(Dictionary<string, object?> input)
    {
        var mode = input.GetString("ReturnItemCollectionMetrics") ?? "NONE";
        if (mode is not ("SIZE" or "NONE"))
            throw AwsException.Validation($"1 validation error detected: Value '{mode}' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]");
        return mode == "SIZE";
    }

    private void AddItemCollectionMetrics(RequestContext ctx, Dictionary<string, object?> output, Dictionary<string, object?> input,
        TableRecord table, IReadOnlyDictionary<string, AttributeValue> key)
    {
        if (WantsItemCollectionMetrics(input) && table.LocalSecondaryIndexes.Count > 0)
            output["ItemCollectionMetrics"] = ItemCollectionMetrics(ctx, table, key[table.HashKey]);
    }

    /// <summary>
    /// The ItemCollectionMetrics member of BatchWriteItem and TransactWriteItems: per table with local secondary
    /// indexes, one entry per item collection written (by partition key value, in the order first written).
    /// </summary>
    private Dictionary<string, object?>? ItemCollectionMetrics(RequestContext ctx, IEnumerable<(TableRecord Table, IReadOnlyDictionary<string, AttributeValue> Key)> writes)
    {
        var perTable = new Dictionary<string, object?>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var (table, key) in writes)
        {
            if (table.LocalSecondaryIndexes.Count == 0) continue;
            var hash = key[table.HashKey];
            if (!seen.Add((table.TableName, KeyEncoding.Partition(hash)))) continue;
            if (perTable.GetValueOrDefault(table.TableName) is not List<object?> list) perTable[table.TableName] = list = [];
            list.Add(ItemCollectionMetrics(ctx, table, hash));
        }
        return perTable.Count == 0 ? null : perTable;
    }

    private Dictionary<string, object?> ItemCollectionMetrics(RequestContext ctx, TableRecord table, AttributeValue hash)
    {
        var prefix = KeyEncoding.Partition(hash);
        var range = new KeyRange(prefix, true, KeyEncoding.After(prefix), false);
        long bytes = 0;
        foreach (var rows in new[] { _store.Items(table) }.Concat(table.LocalSecondaryIndexes.Select(i => _store.IndexEntries(table, i.IndexName))))
        {
            var cursor = range;
            while (rows.Range(ctx.Scope, cursor, 1000) is { Count: > 0 } batch)
            {
                foreach (var (_, value) in batch) bytes += ItemSize.Of(ItemCodec.Decode(value));
                cursor = cursor with { From = batch[^1].Key, FromInclusive = false };
            }
        }
        var lower = Math.Floor(bytes / BytesPerGb);
        return new Dictionary<string, object?>
        {
            ["ItemCollectionKey"] = new Dictionary<string, object?> { [table.HashKey] = AttributeValueWire.Write(hash) },
            ["SizeEstimateRangeGB"] = new List<object?> { lower, lower + 1 },
        };
    }
}
