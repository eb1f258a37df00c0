using Microsoft.Data.Sqlite;

namespace Nephele.Core.State;

/// <summary>
/// Copies the write-ahead log into the database from a background connection. SQLite's automatic checkpoint
/// would run inside whichever commit crosses its threshold and fsync there, turning a ~20 µs Put into a
/// many-millisecond one every thousand pages; here the writer only appends to the log.
/// A PASSIVE checkpoint blocks no one, but the log restarts from its beginning only when a write finds it
/// fully copied, which never happens while writes keep coming. So when the log has grown past
/// <see cref="RestartFrames"/>, the checkpointer copies the short remainder once more holding the writer lock:
/// a pause of one fsync per ~64 MB written instead of one per 4 MB, and a bounded log.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const long RestartFrames = 16384;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _checkpoint;
    private readonly Lock _writeLock;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _writes;
    private long _checkpointedWrites;
    private bool _disposed;

    public SqliteCheckpointer(string connectionString, Lock writeLock)
    {
        _writeLock = writeLock;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        SqliteSchema.Configure(_connection, writer: false, inMemory: false);
        _checkpoint = _connection.CreateCommand();
        _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        _timer = new Timer(static s => ((SqliteCheckpointer)s!).Run(), this, Interval, Interval);
    }

    /// <summary>Notes a commit, so an idle store does no checkpoint work.</summary>
    public void Wrote() => Interlocked.Increment(ref _writes);

    /// <summary>Checkpoints if anything was written since the last time; the timer calls it.</summary>
    public void Run()
    {
        if (!_lock.TryEnter()) return;
        try
        {
            var writes = Interlocked.Read(ref _writes);
            if (_disposed || writes == _checkpointedWrites) return;
            var frames = Checkpoint();
            if (frames > RestartFrames)
            {
                lock (_writeLock)
                {
                    writes = Interlocked.Read(ref _writes);
                    Checkpoint();
                }
            }
            _checkpointedWrites = writes;
        }
        catch (SqliteException)
        {
            // Busy or an I/O hiccup: the log just stays longer; the next tick tries again.
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Runs a PASSIVE checkpoint and returns the size of the log in frames.</summary>
    private long Checkpoint()
    {
        using var reader = _checkpoint.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _checkpoint.Dispose();
            _connection.Dispose();
        }
    }
}
