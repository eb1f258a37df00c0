using System.Globalization;
using System.Numerics;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// For a table with time to live enabled, an index of its items by expiry second ("ttl:{TableId}", keys
/// "{epochSeconds:D12}|{rowKey}"), maintained with every item write, so the sweeper finds expired items with one
/// range read instead of scanning the table. Only items whose TTL attribute is a top-level Number of epoch seconds
/// are listed; like AWS, the sweeper ignores expiry times more than five years in the past.
/// </summary>
internal sealed class TimeToLiveIndex(IStateStore state)
{
    private const int Digits = 12;
    private static readonly BigInteger Limit = BigInteger.Pow(10, Digits);

    public IResourceTable Entries(TableRecord table) => state.Table("dynamodb", "ttl:" + table.TableId);

    /// <summary>The whole epoch second an item expires at, or null when time to live ignores it.</summary>
    public static long? ExpirySecond(TableRecord table, IReadOnlyDictionary<string, AttributeValue>? item)
    {
        if (item is null || table.TimeToLiveAttribute is not { } name || !item.TryGetValue(name, out var value)
            || value.Type != AttributeType.N || value.N.Coefficient.Sign < 0)
            return null;
        var n = value.N;
        var seconds = n.Exponent >= 0 ? n.Coefficient * BigInteger.Pow(10, Math.Min(n.Exponent, Digits + 1)) : n.Coefficient / BigInteger.Pow(10, -n.Exponent);
        return seconds < Limit ? (long)seconds : null;
    }

    public static string EntryKey(long second, string rowKey) => second.ToString("D" + Digits, CultureInfo.InvariantCulture) + "|" + rowKey;

    public static string RowKeyOf(string entryKey) => entryKey[(Digits + 1)..];

    public static long SecondOf(string entryKey) => long.Parse(entryKey.AsSpan(0, Digits), CultureInfo.InvariantCulture);

    /// <summary>Moves an item's entry after a write; inside the write's transaction.</summary>
    public void Track(Scope scope, TableRecord table, string rowKey,
        IReadOnlyDictionary<string, AttributeValue>? old, IReadOnlyDictionary<string, AttributeValue>? item)
    {
        var before = ExpirySecond(table, old);
        var after = ExpirySecond(table, item);
        if (before == after && (old is null) == (item is null)) return;
        var entries = Entries(table);
        if (before is { } b) entries.Delete(scope, EntryKey(b, rowKey));
        if (after is { } a) entries.Put(scope, EntryKey(a, rowKey), []);
    }

    /// <summary>Lists every existing item when time to live is enabled on a table.</summary>
    public void Backfill(Scope scope, TableRecord table, IResourceTable items)
    {
        var entries = Entries(table);
        string? after = null;
        while (items.List(scope, startAfter: after, limit: 1000) is { Count: > 0 } batch)
        {
            foreach (var (rowKey, bytes) in batch)
                if (ExpirySecond(table, ItemCodec.Decode(bytes)) is { } second) entries.Put(scope, EntryKey(second, rowKey), []);
            after = batch[^1].Key;
        }
    }

    /// <summary>Entries whose expiry second lies in [<paramref name="from"/>, <paramref name="before"/>), oldest first.</summary>
    public IReadOnlyList<string> Due(Scope scope, TableRecord table, long from, long before, int limit) =>
        Entries(table).Range(scope, new KeyRange(EntryKey(Math.Max(0, from), ""), true, EntryKey(before, ""), false), limit)
            .Select(r => r.Key).ToList();
}
