namespace Nephele.Core.State;

/// <summary>One service's table in a <see cref="SqliteStateStore"/>; holds no rows of its own, only its change stamp.</summary>
internal sealed class SqliteResourceTable(SqliteStateStore store, string service, string table) : IResourceTable
{
    private long _changeStamp;

    public long ChangeStamp => Interlocked.Read(ref _changeStamp);

    public bool HasPendingWrites => store.HasPendingWrites(this);

    /// <summary>Called by the store once a write to this table has committed (or rolled back: a harmless extra move).</summary>
    internal void Changed() => Interlocked.Increment(ref _changeStamp);

    public byte[]? Get(Scope scope, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var read = store.BeginRead();
        return read.Statements.Get(service, table, scope, key);
    }

    public void Put(Scope scope, string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        using var write = store.BeginWrite(this);
        write.Statements.Put(service, table, scope, key, value);
    }

    public bool TryAdd(Scope scope, string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        using var write = store.BeginWrite(this);
        return write.Statements.TryAdd(service, table, scope, key, value);
    }

    public bool Delete(Scope scope, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var write = store.BeginWrite(this);
        return write.Statements.Delete(service, table, scope, key);
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> List(Scope scope, string? prefix = null, string? startAfter = null, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0) return [];
        // One lower bound for the index range: the prefix itself (inclusive) or startAfter (exclusive), whichever is later.
        prefix ??= "";
        var afterWins = startAfter is not null && KeyOrder.Compare(startAfter, prefix) >= 0;
        var lower = afterWins ? startAfter! : prefix;
        var upper = prefix.Length == 0 ? null : KeyOrder.PrefixUpperBound(prefix);
        using var read = store.BeginRead();
        return read.Statements.List(service, table, scope, lower, lowerInclusive: !afterWins, upper, limit);
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Range(Scope scope, KeyRange range, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0) return [];
        using var read = store.BeginRead();
        return read.Statements.Range(service, table, scope, range, limit);
    }

    public IReadOnlyList<Scope> Scopes()
    {
        var scopes = new List<Scope>();
        using var read = store.BeginRead();
        for (var next = read.Statements.NextScope(service, table, new Scope("", "")); next is { } scope; next = read.Statements.NextScope(service, table, scope))
            scopes.Add(scope);
        return scopes;
    }

    public long Count(Scope scope)
    {
        using var read = store.BeginRead();
        return read.Statements.Count(service, table, scope);
    }
}
