using System.Collections.Concurrent;

namespace Nephele.Services.Sqs;

/// <summary>
/// Wakes long-polling receivers of a queue the moment a message is sent to it. Process-local by design: the
/// messages themselves are in the store, so a receiver on another node still finds them on its next scan.
/// </summary>
internal sealed class QueueSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next <see cref="Pulse"/> of the queue; take it before scanning, so no send is missed.</summary>
    public Task Next(string queueKey) =>
        _signals.GetOrAdd(queueKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Pulse(string queueKey)
    {
        if (_signals.TryRemove(queueKey, out var signal)) signal.TrySetResult();
    }
}
