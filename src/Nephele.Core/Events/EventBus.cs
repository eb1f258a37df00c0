using System.Collections.Concurrent;

namespace Nephele.Core.Events;

/// <summary>
/// The in-process bus between services. Two things travel on it:
/// <list type="bullet">
/// <item>deliveries to a resource named by ARN: each service registers itself as the target for its ARN service
/// name ("sqs", "lambda"), so a sender such as SNS reaches a queue or a function without knowing that service;</item>
/// <item>synchronous invocations of a resource named by ARN (Secrets Manager runs a rotation function and waits);</item>
/// <item>events: any service publishes a typed event and whoever subscribed to that type receives it
/// (notifications, streams, audit).</item>
/// </list>
/// Durability is the services' business: a target stores what it accepts in the state store before returning.
/// </summary>
public sealed class EventBus
{
    private readonly ConcurrentDictionary<string, IDeliveryTarget> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IMessageSource> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IInvocationTarget> _invokers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, ImmutableHandlers> _handlers = new();

    /// <summary>Makes <paramref name="target"/> the receiver of deliveries to ARNs of <paramref name="arnService"/>.</summary>
    public void RegisterTarget(string arnService, IDeliveryTarget target) => _targets[arnService] = target;

    /// <summary>The target for an ARN (by its service field), or null when no service has registered for it yet.</summary>
    public IDeliveryTarget? TargetFor(string arn) => ArnService(arn) is { } service ? _targets.GetValueOrDefault(service) : null;

    /// <summary>
    /// Delivers to the service that owns <see cref="Delivery.TargetArn"/>; null when no service handles that kind
    /// of ARN (yet), so the sender can keep the delivery pending instead of losing it.
    /// </summary>
    public DeliveryResult? Deliver(Delivery delivery) => TargetFor(delivery.TargetArn)?.Deliver(delivery);

    /// <summary>Makes <paramref name="target"/> the service that runs ARNs of <paramref name="arnService"/> synchronously.</summary>
    public void RegisterInvoker(string arnService, IInvocationTarget target) => _invokers[arnService] = target;

    /// <summary>The service that runs an ARN synchronously (by its service field), or null when none has registered.</summary>
    public IInvocationTarget? InvokerFor(string arn) => ArnService(arn) is { } service ? _invokers.GetValueOrDefault(service) : null;

    /// <summary>Makes <paramref name="source"/> the service that consumers pull messages of <paramref name="arnService"/> ARNs from.</summary>
    public void RegisterSource(string arnService, IMessageSource source) => _sources[arnService] = source;

    /// <summary>The service to pull from for an ARN (by its service field), or null when none has registered.</summary>
    public IMessageSource? SourceFor(string arn) => ArnService(arn) is { } service ? _sources.GetValueOrDefault(service) : null;

    /// <summary>Receives every <typeparamref name="TEvent"/> published from now until the returned handle is disposed.</summary>
    public IDisposable Subscribe<TEvent>(Action<TEvent> handler) where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        Action<object> wrapped = e => handler((TEvent)e);
        _handlers.AddOrUpdate(typeof(TEvent), _ => new([wrapped]), (_, h) => new([.. h.Items, wrapped]));
        return new Unsubscriber(() => _handlers.AddOrUpdate(typeof(TEvent), _ => new([]), (_, h) => new([.. h.Items.Where(x => x != wrapped)])));
    }

    /// <summary>Runs every subscriber of <typeparamref name="TEvent"/> on this thread; a failing subscriber does not stop the others.</summary>
    public void Publish<TEvent>(TEvent evt) where TEvent : class
    {
        if (!_handlers.TryGetValue(typeof(TEvent), out var handlers)) return;
        List<Exception>? errors = null;
        foreach (var handler in handlers.Items)
        {
            try
            {
                handler(evt);
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }
        if (errors is not null) throw new AggregateException($"Subscribers of {typeof(TEvent).Name} failed.", errors);
    }

    /// <summary>The service field of an ARN (arn:partition:service:region:account:resource).</summary>
    public static string? ArnService(string arn)
    {
        var parts = arn.Split(':', 4);
        return parts.Length >= 3 && parts[0] == "arn" ? parts[2] : null;
    }

    private sealed record ImmutableHandlers(Action<object>[] Items);

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
