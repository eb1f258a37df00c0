using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// DynamoDB's background work, on Nephele's clock: deletes items whose time-to-live has passed (AWS takes up to a
/// few days; Nephele does it within <see cref="Period"/>), each deletion writing a REMOVE stream record attributed to
/// the DynamoDB service, applies the streams' 24-hour retention and prunes point-in-time history past the recovery period. Advancing the clock runs a pass at once, so
/// tests see the effect when the clock call returns. Until a pass deletes them, expired items are still read, as in AWS.
/// </summary>
internal sealed partial class TableSweeper : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(20);
    private const int Batch = 100;

    private readonly TableStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private bool _disposed;

    public TableSweeper(ServiceEnvironment env)
    {
        _store = new TableStore(env);
        _clock = env.Clock;
        _log = env.Logging.CreateLogger("Nephele.DynamoDb");
        _timer = env.Clock.CreateTimer(static s => ((TableSweeper)s!).Sweep(), this, Period, Period);
    }

    /// <summary>One pass; passes never overlap (a pass asked for during another runs after it).</summary>
    public void Sweep()
    {
        lock (_lock)
        {
            if (_disposed) return;
            try
            {
                var now = _clock.GetUtcNow();
                foreach (var scope in _store.Scopes())
                    foreach (var table in _store.All(scope).ToList())
                    {
                        if (table.TimeToLiveEnabled) ExpireItems(scope, table, now);
                        // Point-in-time history older than the recovery period can no longer be restored to.
                        if (table.PointInTimeRecoveryEnabled) _store.History.Prune(scope, table, now.AddDays(-table.RecoveryPeriodInDays));
                    }
                foreach (var scope in _store.Streams.Scopes())
                    foreach (var stream in _store.Streams.List(scope, null, null, int.MaxValue))
                        _store.Streams.Trim(scope, stream, now);
            }
            catch (Exception e) when (_disposed || e is ObjectDisposedException)
            {
                // Shutting down: the next start sweeps again.
            }
            catch (Exception e)
            {
                LogSweepFailed(_log, e);
            }
        }
    }

    private void ExpireItems(Scope scope, TableRecord table, DateTimeOffset now)
    {
        var before = now.ToUnixTimeSeconds();
        // AWS leaves items whose expiry lies more than five years in the past alone.
        var from = now.AddYears(-5).ToUnixTimeSeconds();
        while (_store.TimeToLive.Due(scope, table, from, before, Batch) is { Count: > 0 } due)
        {
            var deleted = _store.Transaction(() =>
            {
                if (_store.Find(scope, table.TableName) is not { TimeToLiveEnabled: true } current || current.TableId != table.TableId) return false;
                foreach (var entry in due)
                {
                    var rowKey = TimeToLiveIndex.RowKeyOf(entry);
                    var item = _store.GetItem(scope, current, rowKey);
                    if (item is null || TimeToLiveIndex.ExpirySecond(current, item) != TimeToLiveIndex.SecondOf(entry))
                        _store.TimeToLive.Entries(current).Delete(scope, entry);
                    else
                        _store.WriteItem(scope, current, rowKey, item, null, byTimeToLive: true);
                }
                return true;
            });
            if (!deleted) return;
        }
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB time-to-live and stream retention pass failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
