using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// Point-in-time recovery: while PITR is on, every item write leaves an entry (row key, item before, item after) in the
/// table's history ("pitr:{TableId}"), keyed by the write's time on Nephele's clock and written in the write's own
/// transaction. A table as it was at time T is the current table with every change after T undone, so only the
/// recovery period's entries are kept (<see cref="Prune"/>). Tables without PITR never reach this class.
/// </summary>
internal sealed class PointInTimeHistory(IStateStore state)
{
    private long _sequence;

    public IResourceTable Entries(TableRecord table) => state.Table("dynamodb", "pitr:" + table.TableId);

    /// <summary>Ticks first so entries list in time order; a sequence number orders writes within one tick.</summary>
    private static string KeyOf(DateTimeOffset at, long sequence) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + ":" + sequence.ToString("x16", CultureInfo.InvariantCulture);

    public void Record(Scope scope, TableRecord table, string rowKey, IReadOnlyDictionary<string, AttributeValue>? old,
        IReadOnlyDictionary<string, AttributeValue>? item, DateTimeOffset at)
    {
        var key = Encoding.UTF8.GetBytes(rowKey);
        var before = old is null ? null : ItemCodec.Encode(old);
        var after = item is null ? null : ItemCodec.Encode(item);
        var entry = new byte[12 + key.Length + (before?.Length ?? 0) + (after?.Length ?? 0)];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, key.Length);
        key.CopyTo(span[4..]);
        var at2 = 4 + key.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at2..], before?.Length ?? -1);
        before?.CopyTo(span[(at2 + 4)..]);
        at2 += 4 + (before?.Length ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[at2..], after?.Length ?? -1);
        after?.CopyTo(span[(at2 + 4)..]);
        Entries(table).Put(scope, KeyOf(at, Interlocked.Increment(ref _sequence)), entry);
    }

    /// <summary>The row key and the item before the write (null when the write created it).</summary>
    private static (string RowKey, byte[]? Before) Read(byte[] entry)
    {
        var span = entry.AsSpan();
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span);
        var rowKey = Encoding.UTF8.GetString(span.Slice(4, keyLength));
        var beforeLength = BinaryPrimitives.ReadInt32LittleEndian(span[(4 + keyLength)..]);
        return (rowKey, beforeLength < 0 ? null : span.Slice(8 + keyLength, beforeLength).ToArray());
    }

    /// <summary>
    /// The items of <paramref name="table"/> as they were at <paramref name="at"/> (writes at that instant included), read
    /// from the current items and the history in one consistent snapshot (call inside a state transaction).
    /// </summary>
    public List<KeyValuePair<string, byte[]>> ItemsAt(Scope scope, TableRecord table, IResourceTable items, DateTimeOffset at)
    {
        // The first change after `at` to each row holds the row's state at `at`.
        var undone = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var from = KeyOf(at.AddTicks(1), 0);
        while (Entries(table).Range(scope, new KeyRange(from, true, null, false), 1000) is { Count: > 0 } batch)
        {
            foreach (var (_, entry) in batch)
            {
                var (rowKey, before) = Read(entry);
                undone.TryAdd(rowKey, before);
            }
            from = batch[^1].Key;
            if (batch.Count < 1000) break;
            from += "\0";
        }
        var result = new List<KeyValuePair<string, byte[]>>();
        string? after = null;
        while (items.List(scope, startAfter: after, limit: 1000) is { Count: > 0 } page)
        {
            foreach (var row in page)
                if (!undone.ContainsKey(row.Key)) result.Add(row);
            after = page[^1].Key;
        }
        foreach (var (rowKey, before) in undone)
            if (before is not null) result.Add(new(rowKey, before));
        result.Sort((a, b) => KeyOrder.Compare(a.Key, b.Key));
        return result;
    }

    /// <summary>Drops entries older than <paramref name="before"/>: no restore can reach behind them.</summary>
    public void Prune(Scope scope, TableRecord table, DateTimeOffset before)
    {
        var to = KeyOf(before, 0);
        while (Entries(table).Range(scope, new KeyRange(null, false, to, false), 1000) is { Count: > 0 } batch)
            state.Transaction(() =>
            {
                foreach (var row in batch) Entries(table).Delete(scope, row.Key);
                return 0;
            });
    }
}
