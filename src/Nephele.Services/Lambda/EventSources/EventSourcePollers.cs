using Microsoft.Extensions.Logging;
using Nephele.Core.State;
using Nephele.Services.Lambda.AsyncInvocation;

namespace Nephele.Services.Lambda.EventSources;

/// <summary>
/// The running pollers: one per enabled event source mapping, started from the stored mappings when Nephele starts
/// and reconciled whenever a mapping is created, updated or deleted.
/// </summary>
internal sealed partial class EventSourcePollers(IReadOnlyList<IEventSourceKind> kinds, ILogger log) : IAsyncDisposable
{
    private readonly Dictionary<string, (EventSourceMappingRecord Mapping, IEventSourcePoller Poller)> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _stopped;

    public IEventSourceKind? KindFor(string eventSourceArn) =>
        kinds.FirstOrDefault(k => Core.Events.EventBus.ArnService(eventSourceArn) == k.ArnService);

    /// <summary>Makes the running poller of a mapping match it: started, restarted with new settings, or stopped (null = deleted).</summary>
    public async Task ApplyAsync(Scope scope, string uuid, EventSourceMappingRecord? mapping)
    {
        await _gate.WaitAsync();
        try
        {
            if (_stopped) return;
            var key = $"{scope}/{uuid}";
            if (_running.TryGetValue(key, out var current))
            {
                if (mapping is not null && mapping.Enabled && current.Mapping == mapping) return;
                _running.Remove(key);
                await current.Poller.DisposeAsync();
            }
            if (mapping is null || !mapping.Enabled || KindFor(mapping.EventSourceArn) is not { } kind) return;
            _running[key] = (mapping, kind.Start(scope, mapping));
            LogStarted(log, uuid, mapping.EventSourceArn, mapping.FunctionArn);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _stopped = true;
            foreach (var (_, running) in _running) await running.Poller.DisposeAsync();
            _running.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lambda event source mapping {Uuid}: polling {Source} for {Function}")]
    private static partial void LogStarted(ILogger logger, string uuid, string source, string function);
}
