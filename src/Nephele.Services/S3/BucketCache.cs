using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// Bucket rows and bucket configuration documents held in memory: every object request reads its bucket and the
/// bucket's encryption, lifecycle, notification and logging configuration, which change rarely. One cache per state
/// store, shared by every reader of S3's tables in this process.
/// <para>
/// Correctness rests on a generation number: a write to a bucket or configuration row bumps it (and drops every entry)
/// before the write and again once it has committed — after the enclosing transaction when there is one — and a value
/// read from the store is cached only if the generation did not move while it was read. So a reader racing a writer may
/// cache the old value only until the writer's post-commit bump removes it, and a transaction that rolls back leaves
/// nothing it read behind. <see cref="IStateStore.Reset"/> bypasses S3, so a change of
/// <see cref="IStateStore.ResetCount"/> empties the cache too. The rows must be written through this process: a second
/// node sharing the store would need the store to announce changes.
/// </para>
/// </summary>
internal sealed class BucketCache
{
    private static readonly ConditionalWeakTable<IStateStore, BucketCache> PerStore = [];

    /// <summary>Set while the current thread's transaction wrote a cached row, so its end bumps the generation again.</summary>
    [ThreadStatic] private static bool _wroteInTransaction;
    [ThreadStatic] private static int _transactionDepth;

    private readonly IStateStore _state;
    private readonly ConcurrentDictionary<string, object> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _generation;
    private long _resets;

    private BucketCache(IStateStore state)
    {
        _state = state;
        _resets = state.ResetCount;
    }

    public static BucketCache For(IStateStore state) => PerStore.GetValue(state, static s => new BucketCache(s));

    /// <summary>The cached value of <paramref name="key"/>, else what <paramref name="load"/> reads from the store (null included).</summary>
    public T? Get<T>(string key, Func<T?> load) where T : class
    {
        var resets = _state.ResetCount;
        if (resets != Volatile.Read(ref _resets)) Bump(resets);
        if (_entries.TryGetValue(key, out var hit)) return ((Entry<T>)hit).Value;
        var generation = Volatile.Read(ref _generation);
        var value = load();
        lock (_lock)
        {
            if (generation == _generation && resets == _resets) _entries[key] = new Entry<T>(value);
        }
        return value;
    }

    /// <summary>Writes a cached row: invalidates before, and after the commit (now, or at the end of the enclosing transaction).</summary>
    public T Write<T>(Func<T> write)
    {
        Bump(null);
        try
        {
            return write();
        }
        finally
        {
            if (_transactionDepth > 0) _wroteInTransaction = true;
            else Bump(null);
        }
    }

    /// <summary>Runs a store transaction; if it wrote a cached row, invalidates again once it has committed or rolled back.</summary>
    public T Transaction<T>(Func<T> work)
    {
        _transactionDepth++;
        try
        {
            return _state.Transaction(work);
        }
        finally
        {
            if (--_transactionDepth == 0 && _wroteInTransaction)
            {
                _wroteInTransaction = false;
                Bump(null);
            }
        }
    }

    private void Bump(long? resets)
    {
        lock (_lock)
        {
            _generation++;
            if (resets is { } r) _resets = r;
            _entries.Clear();
        }
    }

    private sealed record Entry<T>(T? Value) where T : class;
}
