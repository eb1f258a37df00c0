using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Nephele.Core.State;

namespace Nephele.Core.Events;

/// <summary>
/// A durable outbox of deliveries through the <see cref="EventBus"/>, for senders whose events must survive a crash
/// and a target that is briefly unavailable (S3 event notifications). The sender records a delivery inside the same
/// state transaction as the change that caused it (<see cref="Enqueue"/>), and after the commit asks for it to go out
/// at once (<see cref="DeliverNow"/>). A delivery leaves the outbox in the same transaction in which the target
/// stores it, so it is delivered once. Failures the target may recover from (it does not exist yet, no service
/// handles its ARN yet, the target threw) are retried with exponential back-off on Nephele's clock until
/// <see cref="OutboxRetry.MaxAge"/>; a target that refuses the message is not retried. What is left after a
/// restart goes out from <see cref="Start"/>.
/// </summary>
public sealed partial class DeliveryOutbox : IDisposable
{
    private readonly IStateStore _state;
    private readonly EventBus _bus;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly OutboxRetry _retry;
    private readonly IResourceTable _table;
    private readonly ITimer _timer;
    private long _lastSequence;
    private int _running;
    private int _again;
    private volatile bool _disposed;

    /// <param name="service">The sender's service name; its outbox is the table "outbox" of that service.</param>
    public DeliveryOutbox(IStateStore state, EventBus bus, TimeProvider clock, ILogger log, string service, OutboxRetry retry)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _bus = bus;
        _clock = clock;
        _log = log;
        _retry = retry;
        _table = state.Table(service, "outbox");
        _timer = clock.CreateTimer(static s => ((DeliveryOutbox)s!).Kick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Records <paramref name="delivery"/>; call it inside the transaction that makes the change it reports, and pass
    /// the returned entry to <see cref="DeliverNow"/> once that transaction has committed.
    /// </summary>
    public OutboxEntry Enqueue(Scope scope, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var pending = new PendingDelivery
        {
            Sequence = NextSequence(),
            EnqueuedMillis = now,
            DueMillis = now,
            TargetArn = delivery.TargetArn,
            Body = delivery.Body,
            SourceArn = delivery.SourceArn,
            MessageGroupId = delivery.MessageGroupId,
            MessageDeduplicationId = delivery.MessageDeduplicationId,
            Attributes = delivery.Attributes.Count == 0 ? null : [.. delivery.Attributes],
        };
        var key = Key(pending);
        _table.Put(scope, key, JsonSerializer.SerializeToUtf8Bytes(pending, OutboxJsonContext.Default.PendingDelivery));
        return new OutboxEntry(scope, key);
    }

    /// <summary>Delivers committed entries now, in order, on this thread; what fails waits for its retry.</summary>
    public void DeliverNow(IEnumerable<OutboxEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var failed = false;
        foreach (var entry in entries)
        {
            if (_disposed) return;
            failed |= !Attempt(entry.Scope, entry.Key);
        }
        if (failed) ScheduleNext();
    }

    /// <summary>Resumes what a previous run left in the outbox.</summary>
    public void Start() => Kick();

    /// <summary>Asks for a background pass over what is due; passes never overlap, and a kick during one causes another.</summary>
    public void Kick()
    {
        if (_disposed) return;
        Interlocked.Exchange(ref _again, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) _ = Task.Run(Run);
    }

    private void Run()
    {
        try
        {
            while (!_disposed && Interlocked.Exchange(ref _again, 0) == 1) Drain();
        }
        catch (Exception e) when (_disposed || e is ObjectDisposedException)
        {
            // Shutting down: what is left stays in the outbox for the next start.
        }
        catch (Exception e)
        {
            LogPassFailed(_log, e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            if (Volatile.Read(ref _again) == 1 && !_disposed) Kick();
        }
    }

    private void Drain()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var scope in _table.Scopes())
        {
            // Keys start with the due time: the scan stops at the first delivery not yet due.
            foreach (var row in _table.List(scope))
            {
                if (_disposed) return;
                if (DueOf(row.Key) > now) break;
                Attempt(scope, row.Key);
            }
        }
        ScheduleNext();
    }

    /// <summary>
    /// One attempt, in one transaction with the target's own write: claims the entry (so a concurrent attempt skips
    /// it), delivers, and on a failure worth retrying puts it back due later. False when it must be retried.
    /// </summary>
    private bool Attempt(Scope scope, string key) => _state.Transaction(() =>
    {
        if (_table.Get(scope, key) is not { } bytes || !_table.Delete(scope, key)) return true;
        var pending = JsonSerializer.Deserialize(bytes, OutboxJsonContext.Default.PendingDelivery)!;
        string reason;
        try
        {
            // A savepoint: a target that throws leaves nothing half-written behind.
            var result = _state.Transaction(() => _bus.Deliver(pending.ToDelivery()));
            if (result is { Succeeded: true }) return true;
            if (result is { Outcome: DeliveryOutcome.Rejected })
            {
                LogRejected(_log, pending.TargetArn, result.Value.Reason ?? "rejected");
                return true;
            }
            reason = result is null ? "no service delivers to this kind of target" : result.Value.Reason ?? result.Value.Outcome.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not ObjectDisposedException)
        {
            reason = e.Message;
        }
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        pending.Attempts++;
        if (now - pending.EnqueuedMillis >= (long)_retry.MaxAge.TotalMilliseconds)
        {
            LogGaveUp(_log, pending.TargetArn, pending.Attempts, reason);
            return true;
        }
        LogRetrying(_log, pending.TargetArn, reason);
        pending.DueMillis = now + (long)_retry.Delay(pending.Attempts).TotalMilliseconds;
        _table.Put(scope, Key(pending), JsonSerializer.SerializeToUtf8Bytes(pending, OutboxJsonContext.Default.PendingDelivery));
        return false;
    });

    private void ScheduleNext()
    {
        long? next = null;
        foreach (var scope in _table.Scopes())
            if (_table.List(scope, limit: 1) is [var first])
                next = next is null ? DueOf(first.Key) : Math.Min(next.Value, DueOf(first.Key));
        if (next is null || _disposed) return;
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, next.Value - _clock.GetUtcNow().ToUnixTimeMilliseconds()));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Due time, then enqueue order: listing the table in key order is the order deliveries go out.</summary>
    private static string Key(PendingDelivery d) => $"{d.DueMillis:D15}-{d.Sequence:D19}";

    private static long DueOf(string key) => long.Parse(key.AsSpan(0, 15), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Grows with every enqueue and with time, so the order survives a restart.</summary>
    private long NextSequence()
    {
        long seq, next;
        do
        {
            seq = Interlocked.Read(ref _lastSequence);
            next = Math.Max(seq + 1, _clock.GetUtcNow().UtcTicks);
        } while (Interlocked.CompareExchange(ref _lastSequence, next, seq) != seq);
        return next;
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Target} failed ({Reason}); it will be retried")]
    private static partial void LogRetrying(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Target} refused by the target: {Reason}; it is dropped")]
    private static partial void LogRejected(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up delivering to {Target} after {Attempts} attempts: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string target, int attempts, string reason);
}

/// <summary>A recorded delivery, for <see cref="DeliveryOutbox.DeliverNow"/> after the recording transaction has committed.</summary>
public readonly record struct OutboxEntry(Scope Scope, string Key);

/// <summary>How long and how often an outbox retries: exponential back-off from <paramref name="First"/> capped at <paramref name="Longest"/>, for up to <paramref name="MaxAge"/>.</summary>
public sealed record OutboxRetry(TimeSpan First, TimeSpan Longest, TimeSpan MaxAge)
{
    public TimeSpan Delay(int attempts)
    {
        var ms = First.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, Longest.TotalMilliseconds));
    }
}

internal sealed class PendingDelivery
{
    public long Sequence { get; set; }
    public long EnqueuedMillis { get; set; }
    public long DueMillis { get; set; }
    public int Attempts { get; set; }
    public required string TargetArn { get; set; }
    public required string Body { get; set; }
    public string? SourceArn { get; set; }
    public string? MessageGroupId { get; set; }
    public string? MessageDeduplicationId { get; set; }
    public List<DeliveryAttribute>? Attributes { get; set; }

    public Delivery ToDelivery() => new()
    {
        TargetArn = TargetArn,
        Body = Body,
        SourceArn = SourceArn,
        MessageGroupId = MessageGroupId,
        MessageDeduplicationId = MessageDeduplicationId,
        Attributes = Attributes ?? [],
    };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PendingDelivery))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
