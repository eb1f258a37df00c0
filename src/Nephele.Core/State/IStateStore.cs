namespace Nephele.Core.State;

/// <summary>Where a resource lives: an account and a region ("" for global services such as IAM).</summary>
public readonly record struct Scope(string AccountId, string Region)
{
    public static Scope Global(string accountId) => new(accountId, "");
    public override string ToString() => Region.Length == 0 ? AccountId : $"{AccountId}/{Region}";
}

/// <summary>
/// Nephele's durable state. Every service keeps its resources in named tables of key -> bytes rows,
/// scoped by account and region; keys are ordered by their UTF-8 bytes (Unicode code point order, the order
/// S3 and DynamoDB list in) so listings paginate in key order.
/// A write returns only after it is durable against a process crash. The embedded implementation is
/// SQLite (WAL) plus a blob directory; --ephemeral keeps both in memory. Nothing here assumes a single
/// process, so a shared SQL backend can implement the same interfaces.
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>The table <paramref name="table"/> of <paramref name="service"/>; cheap, may be called per request.</summary>
    IResourceTable Table(string service, string table);

    /// <summary>Large payloads (S3 objects, Lambda code), kept as files outside the database.</summary>
    IBlobStore Blobs { get; }

    /// <summary>Runs <paramref name="work"/> atomically: every table write inside commits together or not at all.</summary>
    T Transaction<T>(Func<T> work);

    /// <summary>Deletes all state, or that of one service.</summary>
    void Reset(string? service = null);

    /// <summary>Where state is kept ("memory" when ephemeral).</summary>
    string Location { get; }

    /// <summary>A store-wide setting (such as the clock offset), or null when unset. Not scoped, not cleared by <see cref="Reset"/>.</summary>
    string? GetMeta(string key);

    /// <summary>Sets a store-wide setting durably; joins the current <see cref="Transaction{T}"/> if any.</summary>
    void SetMeta(string key, string value);
}

public interface IResourceTable
{
    byte[]? Get(Scope scope, string key);
    void Put(Scope scope, string key, byte[] value);
    /// <summary>Inserts only when the key is absent; false when it already exists.</summary>
    bool TryAdd(Scope scope, string key, byte[] value);
    bool Delete(Scope scope, string key);
    /// <summary>Rows in key order (UTF-8 bytes), starting after <paramref name="startAfter"/>, optionally limited to a key prefix.</summary>
    IReadOnlyList<KeyValuePair<string, byte[]>> List(Scope scope, string? prefix = null, string? startAfter = null, int limit = int.MaxValue);
    /// <summary>
    /// Rows whose keys lie in <paramref name="range"/>, in key order or (with <see cref="KeyRange.Descending"/>)
    /// reverse key order; for sorted reads such as DynamoDB's Query with ScanIndexForward=false.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, byte[]>> Range(Scope scope, KeyRange range, int limit = int.MaxValue);
    /// <summary>Every scope that has rows in this table, for background sweepers (TTL, timers).</summary>
    IReadOnlyList<Scope> Scopes();
    long Count(Scope scope);
    /// <summary>
    /// A number that changes after every committed write to this table (in any scope) and after a reset, so a cache
    /// above the store can tell that what it read is still current: read the stamp, then the rows, and trust them
    /// while the stamp is unchanged. A shared backend must move it for other nodes' writes too.
    /// </summary>
    long ChangeStamp { get; }
    /// <summary>True on a thread inside a transaction that has written this table: its reads may see uncommitted rows.</summary>
    bool HasPendingWrites { get; }
}

/// <summary>A key interval for <see cref="IResourceTable.Range"/>; a null bound is unbounded.</summary>
public readonly record struct KeyRange(string? From, bool FromInclusive, string? To, bool ToInclusive, bool Descending = false);

public interface IBlobStore
{
    /// <summary>Writes the stream to a blob and makes it durable; returns its size.</summary>
    ValueTask<long> WriteAsync(string service, string id, Stream content, CancellationToken ct = default);
    /// <summary>Opens a blob for reading, or null if it does not exist.</summary>
    Stream? OpenRead(string service, string id);
    bool Delete(string service, string id);
    /// <summary>Deletes every blob, or those of one service (used by <see cref="IStateStore.Reset"/>).</summary>
    void Reset(string? service = null);
}
