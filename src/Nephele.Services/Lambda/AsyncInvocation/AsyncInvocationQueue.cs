using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Lambda.AsyncInvocation;

/// <summary>
/// Lambda's internal queue of asynchronous invocations, in the state store: an event is stored before Invoke answers
/// 202 and leaves the queue only when it succeeded or was handed to its on-failure destination or dead-letter queue,
/// so a restart resumes it. Due times are on Nephele's clock (retry delays fire when the clock is advanced). Each
/// due event runs on its own task; passes only start events that are not already running.
/// </summary>
internal sealed partial class AsyncInvocationQueue : IDisposable
{
    /// <summary>Events running at once; more wait in the queue for a later pass (each completion starts one).</summary>
    private const int MaxRunning = 64;

    private readonly ServiceEnvironment _env;
    private readonly IResourceTable _queue;
    private readonly Func<Scope, AsyncEventRecord, Task<AsyncEventRecord?>> _process;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private int _passing;
    private int _again;
    private volatile bool _disposed;

    /// <param name="process">Runs one attempt; returns the event to keep (rescheduled, with its new due time) or null when it is done.</param>
    public AsyncInvocationQueue(ServiceEnvironment env, ILogger log, Func<Scope, AsyncEventRecord, Task<AsyncEventRecord?>> process)
    {
        _env = env;
        _log = log;
        _process = process;
        _queue = env.State.Table("lambda", "async-queue");
        _timer = env.Clock.CreateTimer(static s => ((AsyncInvocationQueue)s!).Kick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private static string Key(AsyncEventRecord e) => $"{e.DueMillis:D15}-{e.RequestId}";

    /// <summary>
    /// Stores an event, inside the caller's transaction when there is one (an SNS publish, an S3 notification), then
    /// starts it once that transaction has committed.
    /// </summary>
    public void Enqueue(Scope scope, AsyncEventRecord e)
    {
        _queue.Put(scope, Key(e), e, LambdaAsyncJsonContext.Default.AsyncEventRecord);
        // The store's writer lock is held until the sender commits: an empty transaction on another thread waits for
        // that, so the pass it starts sees the event. The timer is the fallback for a store without that lock.
        _ = Task.Run(() =>
        {
            try
            {
                _env.State.Transaction(() => 0);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Kick();
        });
    }

    public void Start() => Kick();

    /// <summary>Asks for a pass over the queue; passes never overlap, and a kick during one causes another.</summary>
    public void Kick()
    {
        if (_disposed) return;
        Interlocked.Exchange(ref _again, 1);
        if (Interlocked.CompareExchange(ref _passing, 1, 0) == 0) _ = Task.Run(Pass);
    }

    private void Pass()
    {
        try
        {
            while (!_disposed && Interlocked.Exchange(ref _again, 0) == 1) StartDue();
        }
        catch (Exception e) when (_disposed || e is ObjectDisposedException)
        {
            // Shutting down: what is left stays queued for the next start.
        }
        catch (Exception e)
        {
            LogPassFailed(_log, e);
        }
        finally
        {
            Volatile.Write(ref _passing, 0);
            if (Volatile.Read(ref _again) == 1 && !_disposed) Kick();
        }
    }

    private void StartDue()
    {
        var now = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        long? next = null;
        foreach (var scope in _queue.Scopes())
        {
            // Keys start with the due time: the scan stops at the first event not yet due.
            foreach (var row in _queue.List(scope))
            {
                if (_running.ContainsKey(RunKey(scope, row.Key))) continue;
                var e = JsonSerializer.Deserialize(row.Value, LambdaAsyncJsonContext.Default.AsyncEventRecord)!;
                if (e.DueMillis > now)
                {
                    next = next is null ? e.DueMillis : Math.Min(next.Value, e.DueMillis);
                    break;
                }
                if (_running.Count >= MaxRunning) return;
                Run(scope, row.Key, e);
            }
        }
        if (next is not null && !_disposed)
            _timer.Change(TimeSpan.FromMilliseconds(Math.Max(0, next.Value - _env.Clock.GetUtcNow().ToUnixTimeMilliseconds())), Timeout.InfiniteTimeSpan);
    }

    private static string RunKey(Scope scope, string key) => $"{scope}|{key}";

    private void Run(Scope scope, string key, AsyncEventRecord e)
    {
        var runKey = RunKey(scope, key);
        var gate = new TaskCompletionSource();
        if (!_running.TryAdd(runKey, gate.Task)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var kept = await _process(scope, e);
                if (_disposed) return;
                _env.State.Transaction(() =>
                {
                    _queue.Delete(scope, key);
                    if (kept is not null) _queue.Put(scope, Key(kept), kept, LambdaAsyncJsonContext.Default.AsyncEventRecord);
                    return 0;
                });
            }
            catch (Exception ex) when (_disposed || ex is ObjectDisposedException)
            {
            }
            catch (Exception ex)
            {
                // A bug in processing must not spin: the event stays queued and is tried again a little later.
                LogEventFailed(_log, e.RequestId, ex);
                try
                {
                    e.DueMillis = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds() + 10_000;
                    _env.State.Transaction(() =>
                    {
                        _queue.Delete(scope, key);
                        _queue.Put(scope, Key(e), e, LambdaAsyncJsonContext.Default.AsyncEventRecord);
                        return 0;
                    });
                }
                catch (Exception)
                {
                    // The store is going away; the event keeps its old row.
                }
            }
            finally
            {
                _running.TryRemove(runKey, out _);
                gate.SetResult();
                Kick();
            }
        });
    }

    /// <summary>Waits (a while) for running events, so disposing Nephele does not cut a state write in half.</summary>
    public async Task StopAsync()
    {
        _disposed = true;
        _timer.Dispose();
        await Task.WhenAll(_running.Values).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lambda asynchronous invocation pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lambda asynchronous invocation {RequestId} failed to process; it is tried again in 10 seconds")]
    private static partial void LogEventFailed(ILogger logger, string requestId, Exception e);
}
