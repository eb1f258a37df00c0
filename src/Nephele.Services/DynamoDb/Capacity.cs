using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// Consumed capacity as DynamoDB counts it: a write unit per started KB, a read unit per started 4 KB
/// (half for eventually consistent reads), at least one unit per item operation; reported with
/// ReturnConsumedCapacity TOTAL (one figure) or INDEXES (per table and index).
/// </summary>
internal sealed class Capacity(string tableName)
{
    private double _table;
    private readonly Dictionary<string, double> _gsis = [];
    private readonly Dictionary<string, double> _lsis = [];
    public bool Read { get; init; }

    public static double WriteUnits(long bytes) => Math.Max(1, Math.Ceiling(bytes / 1024.0));

    public static double ReadUnits(long bytes, bool consistent) => Math.Max(1, Math.Ceiling(bytes / 4096.0)) * (consistent ? 1 : 0.5);

    public void AddTable(double units) => _table += units;

    public void AddIndex(IndexRecord index, double units)
    {
        var map = index.Global ? _gsis : _lsis;
        map[index.IndexName] = map.GetValueOrDefault(index.IndexName) + units;
    }

    /// <summary>Charges an item write to the table and to every index whose entry it adds, changes or removes.</summary>
    public void AddWrite(TableRecord table, IReadOnlyDictionary<string, AttributeValue>? old, IReadOnlyDictionary<string, AttributeValue>? item)
    {
        AddTable(WriteUnits(Math.Max(old is null ? 0 : ItemSize.Of(old), item is null ? 0 : ItemSize.Of(item))));
        foreach (var index in table.Indexes)
        {
            var oldKey = old is null ? null : ItemKeys.IndexEntryKey(index, old, "");
            var newKey = item is null ? null : ItemKeys.IndexEntryKey(index, item, "");
            if (oldKey is null && newKey is null) continue;
            var oldSize = oldKey is null ? 0 : ItemSize.Of(TableStore.Project(table, index, old!));
            var newSize = newKey is null ? 0 : ItemSize.Of(TableStore.Project(table, index, item!));
            var units = oldKey is not null && newKey is not null && oldKey != newKey
                ? WriteUnits(oldSize) + WriteUnits(newSize)
                : WriteUnits(Math.Max(oldSize, newSize));
            AddIndex(index, units);
        }
    }

    public double Total => _table + _gsis.Values.Sum() + _lsis.Values.Sum();

    /// <summary>The ConsumedCapacity member, or null when the caller did not ask (NONE or absent).</summary>
    public Dictionary<string, object?>? Report(string? mode)
    {
        if (mode is not ("TOTAL" or "INDEXES")) return null;
        var report = new Dictionary<string, object?> { ["TableName"] = tableName, ["CapacityUnits"] = Total };
        report[Read ? "ReadCapacityUnits" : "WriteCapacityUnits"] = Total;
        if (mode == "INDEXES")
        {
            report["Table"] = Units(_table);
            if (_gsis.Count > 0) report["GlobalSecondaryIndexes"] = _gsis.ToDictionary(kv => kv.Key, kv => (object?)Units(kv.Value));
            if (_lsis.Count > 0) report["LocalSecondaryIndexes"] = _lsis.ToDictionary(kv => kv.Key, kv => (object?)Units(kv.Value));
        }
        return report;
    }

    private Dictionary<string, object?> Units(double units) => new()
    {
        ["CapacityUnits"] = units,
        [Read ? "ReadCapacityUnits" : "WriteCapacityUnits"] = units,
    };
}
