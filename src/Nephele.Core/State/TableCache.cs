using System.Collections.Concurrent;

namespace Nephele.Core.State;

/// <summary>
/// What a service read from one table (a row, or a list of rows) kept in memory for as long as the table's
/// <see cref="IResourceTable.ChangeStamp"/> has not moved: for rarely written tables (queues, topics, buckets) that every
/// request reads. The stamp is read before the rows, so a value read while a write commits is dropped at the next
/// lookup. A transaction that has written the table reads around the cache, since it sees its uncommitted rows.
/// Cached values are shared between threads: treat them as read-only.
/// </summary>
public sealed class TableCache<TKey, TValue>(IResourceTable table, int capacity = 4096) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (long Stamp, TValue Value)> _entries = new();

    /// <summary>The cached value for <paramref name="key"/>, or what <paramref name="read"/> gives (then cached).</summary>
    public TValue Get(TKey key, Func<TKey, TValue> read)
    {
        if (table.HasPendingWrites) return read(key);
        var stamp = table.ChangeStamp;
        if (_entries.TryGetValue(key, out var entry) && entry.Stamp == stamp) return entry.Value;
        var value = read(key);
        // A crude bound: tables cached this way hold few rows; past the capacity start over rather than track use.
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[key] = (stamp, value);
        return value;
    }
}
