using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;
using Nephele.Services.DynamoDbStreams;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// Tables, items and secondary index entries of one Nephele. Items of a table live in their own state table
/// ("items:{TableId}") keyed by <see cref="KeyEncoding"/>, so Query reads a partition in sort-key order straight
/// from the store; each index has its own state table of projected items. <see cref="WriteItem"/> is the one
/// place an item changes (indexes, statistics, the time-to-live index and the stream record follow in the same
/// transaction).
/// </summary>
internal sealed class TableStore(IStateStore state, TimeProvider clock, StreamStore streams)
{
    private const string Service = "dynamodb";
    private readonly IResourceTable _tables = state.Table(Service, "tables");
    private readonly IResourceTable _stats = state.Table(Service, "stats");
    private readonly TimeToLiveIndex _ttl = new(state);
    private readonly PointInTimeHistory _history = new(state);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Scope, string), (byte[] Bytes, TableRecord Table)> _definitions = new();

    public TableStore(ServiceEnvironment env)
        : this(env.State, env.Clock, new StreamStore(env.State, env.Events, env.Logging.CreateLogger("Nephele.DynamoDbStreams")))
    {
    }

    public StreamStore Streams => streams;

    public TimeToLiveIndex TimeToLive => _ttl;

    public PointInTimeHistory History => _history;

    /// <summary>A state transaction; stream records it appended are published on the event bus once it commits.</summary>
    public T Transaction<T>(Func<T> work) => StreamStore.PublishAfter(() => state.Transaction(work));

    public IResourceTable Items(TableRecord table) => state.Table(Service, "items:" + table.TableId);

    public IResourceTable IndexEntries(TableRecord table, string indexName) => state.Table(Service, $"index:{table.TableId}:{indexName}");

    /// <summary>
    /// The table's definition. Every data-plane request looks its table up, so the last definition read is kept
    /// with its stored bytes and reused while they are unchanged: the row is still read (another writer, or another
    /// node, may have changed it), but not parsed again.
    /// </summary>
    public TableRecord? Find(Scope scope, string name)
    {
        if (_tables.Get(scope, name) is not { } bytes)
        {
            _definitions.TryRemove((scope, name), out _);
            return null;
        }
        if (_definitions.TryGetValue((scope, name), out var known) && known.Bytes.AsSpan().SequenceEqual(bytes)) return known.Table;
        var table = System.Text.Json.JsonSerializer.Deserialize(bytes, DynamoDbJsonContext.Default.TableRecord)!;
        _definitions[(scope, name)] = (bytes, table);
        return table;
    }

    public TableRecord Require(Scope scope, string name) =>
        Find(scope, name) ?? throw new AwsException("ResourceNotFoundException", "Requested resource not found");

    public bool Add(Scope scope, TableRecord table) => Transaction(() =>
    {
        if (!_tables.TryAdd(scope, table.TableName, table, DynamoDbJsonContext.Default.TableRecord)) return false;
        Changed(scope, null, table);
        return true;
    });

    public void Put(Scope scope, TableRecord table) => Transaction(() =>
    {
        var previous = Find(scope, table.TableName);
        _tables.Put(scope, table.TableName, table, DynamoDbJsonContext.Default.TableRecord);
        Changed(scope, previous, table);
        return 0;
    });

    /// <summary>Follows a table's stream and time-to-live settings: opens and closes streams, fills and drops the TTL index.</summary>
    private void Changed(Scope scope, TableRecord? previous, TableRecord table)
    {
        var newStream = previous is not { StreamEnabled: true } || previous.LatestStreamLabel != table.LatestStreamLabel;
        if (previous is { StreamEnabled: true } && (!table.StreamEnabled || newStream))
            streams.Close(scope, StreamStore.ArnOf(previous), clock.GetUtcNow());
        if (table.StreamEnabled && newStream)
            streams.Open(scope, table, previous?.LatestStreamLabel is null ? null : streams.Find(scope, StreamStore.ArnOf(previous))?.EndingSequenceNumber);
        if (table.TimeToLiveEnabled && previous is not { TimeToLiveEnabled: true }) _ttl.Backfill(scope, table, Items(table));
        else if (!table.TimeToLiveEnabled && previous is { TimeToLiveEnabled: true }) Purge(scope, _ttl.Entries(table));
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> ListNames(Scope scope, string? startAfter, int limit) =>
        _tables.List(scope, startAfter: startAfter, limit: limit);

    public IReadOnlyList<Scope> Scopes() => _tables.Scopes();

    public IEnumerable<TableRecord> All(Scope scope) => _tables.Values(scope, DynamoDbJsonContext.Default.TableRecord);

    /// <summary>Removes the table and, batch by batch, its items and index entries.</summary>
    public void Delete(Scope scope, TableRecord table)
    {
        Transaction(() =>
        {
            _tables.Delete(scope, table.TableName);
            _definitions.TryRemove((scope, table.TableName), out _);
            _stats.Delete(scope, table.TableId);
            // The stream outlives the table by the retention period, as in AWS.
            if (table.StreamEnabled) streams.Close(scope, StreamStore.ArnOf(table), clock.GetUtcNow());
            return 0;
        });
        Purge(scope, Items(table));
        Purge(scope, _ttl.Entries(table));
        Purge(scope, _history.Entries(table));
        foreach (var index in table.Indexes) Purge(scope, IndexEntries(table, index.IndexName));
    }

    public void Purge(Scope scope, IResourceTable rows)
    {
        while (rows.List(scope, limit: 1000) is { Count: > 0 } batch)
            Transaction(() =>
            {
                foreach (var row in batch) rows.Delete(scope, row.Key);
                return 0;
            });
    }

    public TableStats Stats(Scope scope, TableRecord table) =>
        _stats.Get(scope, table.TableId, DynamoDbJsonContext.Default.TableStats) ?? new TableStats();

    public Dictionary<string, AttributeValue>? GetItem(Scope scope, TableRecord table, string rowKey) =>
        Items(table).Get(scope, rowKey) is { } bytes ? ItemCodec.Decode(bytes) : null;

    /// <summary>
    /// Replaces <paramref name="old"/> by <paramref name="item"/> (either may be null) under <paramref name="rowKey"/>,
    /// maintaining index entries, statistics, the time-to-live index and the table's stream. Call inside
    /// <see cref="Transaction{T}"/>. <paramref name="byTimeToLive"/> marks a deletion by the TTL sweeper.
    /// </summary>
    public void WriteItem(Scope scope, TableRecord table, string rowKey,
        IReadOnlyDictionary<string, AttributeValue>? old, IReadOnlyDictionary<string, AttributeValue>? item, bool byTimeToLive = false)
    {
        if (old is null && item is null) return;
        var stats = Stats(scope, table);
        var count = stats.ItemCount;
        var size = stats.SizeBytes;
        if (old is not null)
        {
            count--;
            size -= ItemSize.Of(old);
        }
        if (item is not null)
        {
            Items(table).Put(scope, rowKey, ItemCodec.Encode(item));
            count++;
            size += ItemSize.Of(item);
        }
        else
        {
            Items(table).Delete(scope, rowKey);
        }
        var indexStats = new Dictionary<string, long[]>(stats.Indexes);
        foreach (var index in table.Indexes)
        {
            var entries = IndexEntries(table, index.IndexName);
            var s = indexStats.TryGetValue(index.IndexName, out var existing) ? (long[])existing.Clone() : [0, 0];
            var oldKey = old is null ? null : ItemKeys.IndexEntryKey(index, old, rowKey);
            var newKey = item is null ? null : ItemKeys.IndexEntryKey(index, item, rowKey);
            if (oldKey is not null)
            {
                entries.Delete(scope, oldKey);
                s[0]--;
                s[1] -= ItemSize.Of(old!);
            }
            if (newKey is not null)
            {
                entries.Put(scope, newKey, ItemCodec.Encode(Project(table, index, item!)));
                s[0]++;
                s[1] += ItemSize.Of(item!);
            }
            indexStats[index.IndexName] = s;
        }
        _stats.Put(scope, table.TableId, new TableStats { ItemCount = count, SizeBytes = size, Indexes = indexStats }, DynamoDbJsonContext.Default.TableStats);
        if (table.TimeToLiveEnabled) _ttl.Track(scope, table, rowKey, old, item);
        if (table.StreamEnabled) streams.Append(scope, table, old, item, byTimeToLive, clock.GetUtcNow());
        if (table.PointInTimeRecoveryEnabled) _history.Record(scope, table, rowKey, old, item, clock.GetUtcNow());
    }

    /// <summary>Fills a new global secondary index from the table's items (UpdateTable's backfill).</summary>
    public void Backfill(Scope scope, TableRecord table, IndexRecord index)
    {
        var entries = IndexEntries(table, index.IndexName);
        long count = 0, size = 0;
        string? after = null;
        while (Items(table).List(scope, startAfter: after, limit: 1000) is { Count: > 0 } batch)
        {
            foreach (var (rowKey, bytes) in batch)
            {
                var item = ItemCodec.Decode(bytes);
                if (ItemKeys.IndexEntryKey(index, item, rowKey) is not { } entryKey) continue;
                entries.Put(scope, entryKey, ItemCodec.Encode(Project(table, index, item)));
                count++;
                size += ItemSize.Of(item);
            }
            after = batch[^1].Key;
        }
        var stats = Stats(scope, table);
        _stats.Put(scope, table.TableId, stats with { Indexes = new(stats.Indexes) { [index.IndexName] = [count, size] } }, DynamoDbJsonContext.Default.TableStats);
    }

    public void DropIndexStats(Scope scope, TableRecord table, string indexName)
    {
        var stats = Stats(scope, table);
        var indexes = new Dictionary<string, long[]>(stats.Indexes);
        indexes.Remove(indexName);
        _stats.Put(scope, table.TableId, stats with { Indexes = indexes }, DynamoDbJsonContext.Default.TableStats);
    }

    /// <summary>The attributes an index keeps of an item: its projection plus the table's and the index's keys.</summary>
    public static Dictionary<string, AttributeValue> Project(TableRecord table, IndexRecord index, IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (index.ProjectionType == "ALL") return new(item, StringComparer.Ordinal);
        var keep = new HashSet<string>(table.KeySchema.Select(k => k.AttributeName).Concat(index.KeySchema.Select(k => k.AttributeName)), StringComparer.Ordinal);
        if (index.ProjectionType == "INCLUDE" && index.NonKeyAttributes is { } extra) keep.UnionWith(extra);
        return item.Where(kv => keep.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }
}
