using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Drains the HTTP/HTTPS outbox: POSTs what is due, deletes what the endpoint accepted, and reschedules failures
/// per the retry policy stored with each delivery; when retries run out a notification goes to the subscription's
/// dead-letter queue. The outbox is in the state store, so a restart resumes it; waits are on Nephele's clock, so
/// advancing the clock fires retries.
/// </summary>
internal sealed partial class HttpDispatcher : IDisposable
{
    private const int Parallelism = 8;

    // One client for every endpoint: connection reuse across deliveries; the endpoint's slowness bounds nothing else.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    private readonly ServiceEnvironment _env;
    private readonly IResourceTable _outbox;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private int _running;
    private int _again;
    private volatile bool _disposed;

    public HttpDispatcher(ServiceEnvironment env, ILogger log)
    {
        _env = env;
        _log = log;
        _outbox = env.State.Table("sns", "http-outbox");
        _timer = env.Clock.CreateTimer(static s => ((HttpDispatcher)s!).Kick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stores a delivery (inside the caller's transaction); <see cref="Kick"/> after commit sends it.</summary>
    public void Enqueue(Scope scope, PendingHttpDelivery delivery) =>
        _outbox.Put(scope, Key(delivery), delivery, SnsJsonContext.Default.PendingHttpDelivery);

    private static string Key(PendingHttpDelivery d) => $"{d.DueMillis:D15}-{d.Id}";

    public void Start() => Kick();

    /// <summary>Asks for a pass over the outbox; passes never overlap, and a kick during one causes another.</summary>
    public void Kick()
    {
        if (_disposed) return;
        Interlocked.Exchange(ref _again, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_disposed && Interlocked.Exchange(ref _again, 0) == 1) await DrainAsync();
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

    private async Task DrainAsync()
    {
        var now = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = new List<(Scope Scope, string Key, PendingHttpDelivery Delivery)>();
        foreach (var scope in _outbox.Scopes())
        {
            // Keys start with the due time: the scan stops at the first delivery not yet due.
            foreach (var row in _outbox.List(scope))
            {
                var delivery = JsonSerializer.Deserialize(row.Value, SnsJsonContext.Default.PendingHttpDelivery)!;
                if (delivery.DueMillis > now) break;
                due.Add((scope, row.Key, delivery));
            }
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (item, ct) =>
        {
            var status = await PostAsync(item.Delivery);
            Complete(item.Scope, item.Key, item.Delivery, status);
        });
        ScheduleNext();
    }

    /// <summary>The endpoint's status code, or 0 when it could not be reached.</summary>
    private static async Task<int> PostAsync(PendingHttpDelivery delivery)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Endpoint)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body)),
            };
            foreach (var (name, value) in delivery.Headers)
                if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
            using var response = await Client.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return 0;
        }
    }

    private void Complete(Scope scope, string key, PendingHttpDelivery delivery, int status)
    {
        if (_disposed) return;
        var now = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        // 2xx is delivered; 4xx other than 429 is the endpoint refusing, which retrying would not change.
        var delivered = status is >= 200 and < 300;
        var permanent = status is >= 400 and < 500 and not 429;
        _env.State.Transaction(() =>
        {
            _outbox.Delete(scope, key);
            if (delivered) return 0;
            delivery.Failures++;
            if (!permanent && delivery.Failures <= delivery.Retry.NumRetries)
            {
                delivery.DueMillis = now + (long)DeliveryPolicies.Delay(delivery.Retry, delivery.Failures).TotalMilliseconds;
                Enqueue(scope, delivery);
                return 0;
            }
            LogGaveUp(_log, delivery.Endpoint, delivery.Failures, status);
            if (delivery.IsNotification && delivery.DeadLetterTargetArn is { } dlq)
                _env.Events.Deliver(new Delivery { TargetArn = dlq, Body = delivery.Body, SourceArn = delivery.SubscriptionArn });
            return 0;
        });
    }

    private void ScheduleNext()
    {
        long? next = null;
        foreach (var scope in _outbox.Scopes())
            if (_outbox.List(scope, limit: 1) is [var first])
            {
                var due = JsonSerializer.Deserialize(first.Value, SnsJsonContext.Default.PendingHttpDelivery)!.DueMillis;
                next = next is null ? due : Math.Min(next.Value, due);
            }
        if (next is null || _disposed) return;
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, next.Value - _env.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SNS HTTP delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS gave up delivering to {Endpoint} after {Failures} failed attempts (last status {Status})")]
    private static partial void LogGaveUp(ILogger logger, string endpoint, int failures, int status);
}
