using System.Collections.Concurrent;
using Nephele.Core.State;

namespace Nephele.Services.Iam;

/// <summary>
/// When each access key was last used, remembered in memory on the request path (no write per request) and persisted
/// in one transaction every minute and at shutdown — so it survives a restart approximately, as AWS too updates it
/// only within hours.
/// </summary>
internal sealed class AccessKeyUsage : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    private sealed record Pending(string Account, AccessKeyUseRecord Use);

    private readonly IamStore _store;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Lock _flushing = new();
    private readonly Timer _timer;

    public AccessKeyUsage(IamStore store)
    {
        _store = store;
        _timer = new Timer(_ => TryFlush(), null, FlushInterval, FlushInterval);
    }

    public void Record(string account, string accessKeyId, string service, string region, DateTimeOffset at)
    {
        // Repeated use from the same service and region within a second changes nothing worth an allocation.
        if (_pending.TryGetValue(accessKeyId, out var last) && last.Use.ServiceName == service && last.Use.Region == region
            && (at - last.Use.LastUsedDate).Duration() < TimeSpan.FromSeconds(1))
            return;
        _pending[accessKeyId] = new Pending(account, new AccessKeyUseRecord(at, service, region));
    }

    public AccessKeyUseRecord? LastUse(Scope scope, string accessKeyId) =>
        _pending.TryGetValue(accessKeyId, out var pending) ? pending.Use : _store.AccessKeyUse.Get(scope, accessKeyId);

    /// <summary>A deleted key's use is forgotten with it.</summary>
    public void Forget(Scope scope, string accessKeyId)
    {
        _pending.TryRemove(accessKeyId, out _);
        _store.AccessKeyUse.Delete(scope, accessKeyId);
    }

    public void Flush()
    {
        lock (_flushing)
        {
            var batch = _pending.ToArray();
            if (batch.Length == 0) return;
            _store.Transaction(() =>
            {
                foreach (var (keyId, pending) in batch)
                {
                    var scope = Scope.Global(pending.Account);
                    if (_store.AccessKeys.Get(scope, keyId) is not null) _store.AccessKeyUse.Put(scope, keyId, pending.Use);
                }
                return 0;
            });
            // A use recorded while persisting stays pending for the next flush.
            foreach (var entry in batch) _pending.TryRemove(entry);
        }
    }

    private void TryFlush()
    {
        try
        {
            Flush();
        }
        catch (ObjectDisposedException)
        {
            // The state store closed under a last timer tick during shutdown; Dispose flushed already.
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        TryFlush();
    }
}
