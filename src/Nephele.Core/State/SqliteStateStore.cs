using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Nephele.Core.State;

/// <summary>
/// The embedded state store: one SQLite database (<c>nephele.db</c>, WAL) in the data directory plus a
/// <see cref="FileBlobStore"/>, or, when ephemeral, a shared-cache in-memory database plus a
/// <see cref="MemoryBlobStore"/> — one code path for both.
/// Writes go through one writer connection under a lock (SQLite admits one writer anyway, and a held lock is
/// cheaper than SQLITE_BUSY retries); reads use a small pool of reader connections that see the last commit,
/// except on a thread inside <see cref="Transaction{T}"/>, which reads its own uncommitted writes through the
/// writer. In memory the reads share the writer too, because shared-cache readers would hit table locks.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    public const string DatabaseFileName = "nephele.db";
    private const int MaxIdleReaders = 8;

    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _writer;
    private readonly SqliteStatements _write;
    private readonly string? _readerConnectionString;
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly ConcurrentBag<SqliteStatements> _idleReaders = [];
    private readonly ConcurrentDictionary<(string, string), SqliteResourceTable> _tables = new();
    private int _transactionDepth;
    // Tables written by the open transaction; their change stamps move once it ends. Guarded by the writer lock.
    private readonly HashSet<SqliteResourceTable> _written = [];
    private volatile bool _disposed;

    public IBlobStore Blobs { get; }
    public string Location { get; }

    /// <summary>The database schema version this build writes and the newest it can read.</summary>
    public static int SchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>Opens (creating or migrating) the state in <paramref name="dataDir"/>; null keeps everything in memory.</summary>
    /// <exception cref="StateStoreException">The directory cannot be used; the message is one printable line.</exception>
    public static SqliteStateStore Open(string? dataDir)
    {
        if (dataDir is null)
        {
            // A named shared-cache memory database lives as long as one connection to it is open: the writer.
            var memory = new SqliteConnectionStringBuilder
            {
                DataSource = $"file:nephele-{Guid.NewGuid():N}?mode=memory&cache=shared",
                Pooling = false,
            }.ToString();
            return new SqliteStateStore(memory, readerConnectionString: null, new MemoryBlobStore(), "memory");
        }

        var location = PrepareDirectory(dataDir, out var blobs);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(location, DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Nephele keeps its own connections; SQLite's pool would keep files open after Dispose.
            Pooling = false,
        };
        var writer = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        return new SqliteStateStore(writer, builder.ToString(), blobs, location);
    }

    private static string PrepareDirectory(string dataDir, out FileBlobStore blobs)
    {
        try
        {
            var full = Path.GetFullPath(dataDir);
            Directory.CreateDirectory(full);
            // Fail here with the reason rather than later with SQLite's "unable to open database file".
            var probe = Path.Combine(full, $".nephele-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            blobs = new FileBlobStore(full);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StateStoreException($"cannot use data directory {dataDir}: {OneLine(e.Message)}", e);
        }
    }

    private SqliteStateStore(string writerConnectionString, string? readerConnectionString, IBlobStore blobs, string location)
    {
        Location = location;
        Blobs = blobs;
        _readerConnectionString = readerConnectionString;
        _writer = new SqliteConnection(writerConnectionString);
        try
        {
            _writer.Open();
            SqliteSchema.Configure(_writer, writer: true, inMemory: readerConnectionString is null);
            _write = new SqliteStatements(_writer);
            SqliteSchema.Migrate(_write, location);
            if (readerConnectionString is not null) _checkpointer = new SqliteCheckpointer(readerConnectionString, _writeLock);
        }
        catch (Exception e)
        {
            _checkpointer?.Dispose();
            _write?.Dispose();
            _writer.Dispose();
            if (e is SqliteException sql)
                throw new StateStoreException($"cannot open {Path.Combine(location, DatabaseFileName)}: {OneLine(sql.Message)}", sql);
            throw;
        }
    }

    public IResourceTable Table(string service, string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(table);
        return _tables.GetOrAdd((service, table), static (k, store) => new SqliteResourceTable(store, k.Item1, k.Item2), this);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one SQLite transaction holding the writer lock, so a read-modify-write
    /// inside is also isolated from other writers; keep it short and synchronous. A nested call joins the outer
    /// transaction through a savepoint: its writes commit with the outer one, and are undone if it throws.
    /// Blob writes are not part of the transaction.
    /// </summary>
    public T Transaction<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_writeLock)
        {
            ThrowIfDisposed();
            var depth = _transactionDepth;
            var savepoint = $"nephele_{depth}";
            _write.Execute(depth == 0 ? "BEGIN IMMEDIATE" : $"SAVEPOINT {savepoint}");
            _transactionDepth = depth + 1;
            T result;
            try
            {
                result = work();
                _write.Execute(depth == 0 ? "COMMIT" : $"RELEASE {savepoint}");
                _checkpointer?.Wrote();
            }
            catch
            {
                RollBack(depth == 0 ? "ROLLBACK" : $"ROLLBACK TO {savepoint}; RELEASE {savepoint}");
                throw;
            }
            finally
            {
                _transactionDepth = depth;
                if (depth == 0) AnnounceWrites();
            }
            return result;
        }
    }

    /// <summary>Whether the current thread's open transaction has written <paramref name="table"/>.</summary>
    internal bool HasPendingWrites(SqliteResourceTable table) => _writeLock.IsHeldByCurrentThread && _written.Contains(table);

    private void AnnounceWrites()
    {
        foreach (var table in _written) table.Changed();
        _written.Clear();
    }

    private void RollBack(string sql)
    {
        try
        {
            _write.Execute(sql);
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on its own (an I/O or full-disk error ends the transaction);
            // the original exception is the one worth reporting.
        }
    }

    public void Reset(string? service = null)
    {
        Transaction(() =>
        {
            if (service is null) _write.Execute("DELETE FROM resources");
            else _write.DeleteService(service);
            return 0;
        });
        Blobs.Reset(service);
        foreach (var table in _tables.Values) table.Changed();
    }

    public string? GetMeta(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var read = BeginRead();
        return read.Statements.GetMeta(key);
    }

    public void SetMeta(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key == SqliteSchema.VersionKey) throw new ArgumentException($"'{key}' is reserved for the store itself.", nameof(key));
        lock (_writeLock)
        {
            ThrowIfDisposed();
            _write.SetMeta(key, value);
            _checkpointer?.Wrote();
        }
    }

    /// <summary>
    /// The writer's statements with the writer lock held; dispose the lease to release it. A write to
    /// <paramref name="table"/> moves its change stamp after it commits: at once outside a transaction, else when the
    /// transaction ends.
    /// </summary>
    internal WriteLease BeginWrite(SqliteResourceTable? table = null)
    {
        _writeLock.Enter();
        if (_disposed)
        {
            _writeLock.Exit();
            ThrowIfDisposed();
        }
        return new WriteLease(this, table);
    }

    /// <summary>Statements to read with: the writer's inside a transaction or in memory, else a pooled reader.</summary>
    internal ReadLease BeginRead()
    {
        if (_readerConnectionString is null || _writeLock.IsHeldByCurrentThread)
        {
            _ = BeginWrite();
            return new ReadLease(this, _write, pooled: false);
        }
        ThrowIfDisposed();
        if (!_idleReaders.TryTake(out var reader))
        {
            var connection = new SqliteConnection(_readerConnectionString);
            connection.Open();
            SqliteSchema.Configure(connection, writer: false, inMemory: false);
            reader = new SqliteStatements(connection);
        }
        return new ReadLease(this, reader, pooled: true);
    }

    internal void ReturnReader(SqliteStatements reader)
    {
        if (!_disposed && _idleReaders.Count < MaxIdleReaders)
        {
            _idleReaders.Add(reader);
            if (!_disposed) return;
            // Dispose ran meanwhile and may have missed it: drain again (a no-op if it did not).
            if (!_idleReaders.TryTake(out var missed)) return;
            reader = missed;
        }
        reader.Dispose();
        reader.Connection.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    public void Dispose()
    {
        // First and outside the writer lock: a running checkpoint may be waiting for that lock.
        _checkpointer?.Dispose();
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            while (_idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
                reader.Connection.Dispose();
            }
            _write.Dispose();
            _writer.Dispose();
        }
    }

    private void EndWrite(SqliteResourceTable? table)
    {
        _checkpointer?.Wrote();
        if (table is not null)
        {
            if (_transactionDepth > 0) _written.Add(table);
            else table.Changed();
        }
        _writeLock.Exit();
    }

    internal readonly ref struct WriteLease(SqliteStateStore store, SqliteResourceTable? table)
    {
        public SqliteStatements Statements => store._write;
        public void Dispose() => store.EndWrite(table);
    }

    /// <summary>A pooled reader, or the writer (with its lock held) when <c>pooled</c> is false.</summary>
    internal readonly ref struct ReadLease(SqliteStateStore store, SqliteStatements statements, bool pooled)
    {
        public SqliteStatements Statements { get; } = statements;

        public void Dispose()
        {
            if (pooled) store.ReturnReader(Statements);
            else store.EndWrite(null);
        }
    }
}
