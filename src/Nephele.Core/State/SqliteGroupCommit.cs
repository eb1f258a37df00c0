using System.Collections.Concurrent;
using SQLitePCL;

namespace Nephele.Core.State;

/// <summary>
/// Group commit for <see cref="SqliteStateStore.TransactionAsync{T}"/>. Writers queue their work instead of
/// blocking on the writer lock; whoever finds no group running becomes the leader and runs up to
/// <see cref="MaxGroup"/> queued works in one transaction, each in a savepoint (a work that throws is rolled back
/// alone), then commits once and completes them all. Each work still runs alone on the writer, so isolation is
/// that of <see cref="SqliteStateStore.Transaction{T}"/>; what concurrent writers share is BEGIN, COMMIT and
/// the log write, and no thread waits on the lock. A leader runs one group inline and hands any later one to the
/// thread pool, so its own request is never held up serving others.
/// </summary>
internal sealed class SqliteGroupCommit(SqliteStateStore store)
{
    private const int MaxGroup = 64;
    private const string Savepoint = "nephele_group";
    private readonly ConcurrentQueue<IWork> _queue = new();
    private int _running;

    public Task<T> Run<T>(Func<T> work)
    {
        var job = new Work<T>(work);
        _queue.Enqueue(job);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            RunGroup();
            Release();
        }
        return job.Task;
    }

    /// <summary>Stops leading; picks the queue up again on the thread pool if work arrived meanwhile.</summary>
    private void Release()
    {
        Volatile.Write(ref _running, 0);
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static self =>
            {
                self.RunGroup();
                self.Release();
            }, this, preferLocal: false);
    }

    private void RunGroup()
    {
        var group = new List<IWork>(Math.Min(_queue.Count, MaxGroup));
        while (group.Count < MaxGroup && _queue.TryDequeue(out var next)) group.Add(next);
        if (group.Count == 0) return;
        var done = new List<IWork>(group.Count);
        try
        {
            store.RunGrouped(db =>
            {
                foreach (var work in group)
                {
                    db.Execute($"SAVEPOINT {Savepoint}");
                    try
                    {
                        work.Run();
                        db.Execute($"RELEASE {Savepoint}");
                        done.Add(work);
                    }
                    catch (Exception e)
                    {
                        work.Fail(e);
                        try
                        {
                            db.Execute($"ROLLBACK TO {Savepoint}; RELEASE {Savepoint}");
                        }
                        catch (Microsoft.Data.Sqlite.SqliteException)
                        {
                            // Checked just below.
                        }
                        // An I/O or full-disk error makes SQLite roll back the whole transaction: the works before
                        // this one are lost too, and the ones after must not run outside a transaction.
                        if (raw.sqlite3_get_autocommit(db.Connection.Handle) != 0)
                            throw new InvalidOperationException("The state store rolled back a group of writes.", e);
                    }
                }
            });
        }
        catch (Exception e)
        {
            foreach (var work in done) work.Fail(e);
            foreach (var work in group) work.Fail(e);
            return;
        }
        foreach (var work in done) work.Complete();
    }

    private interface IWork
    {
        void Run();
        void Complete();
        void Fail(Exception e);
    }

    private sealed class Work<T>(Func<T> work) : IWork
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public void Run() => _result = work();

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}
