using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.State;
using Nephele.Core.Time;
using Nephele.Services.Lambda.AsyncInvocation;
using Nephele.Services.Sns;

namespace Nephele.Services.Lambda.EventSources;

/// <summary>
/// SQS queues as event sources: batch size 1–10 (up to 10,000 for standard queues with a batching window), and the
/// poller that receives through SQS itself (the event bus's message source), so visibility timeouts, redrive
/// policies and FIFO group order hold exactly as for any consumer.
/// </summary>
internal sealed partial class SqsEventSource(EventBus bus, NepheleClock clock, SourceInvoker invoke, ILogger log) : IEventSourceKind
{
    private readonly EventBus _bus = bus;
    private readonly NepheleClock _clock = clock;
    private readonly SourceInvoker _invoke = invoke;
    private readonly ILogger _log = log;

    public string ArnService => "sqs";

    public int DefaultBatchSize(string eventSourceArn) => 10;

    public void Validate(string eventSourceArn, int batchSize, int batchingWindow)
    {
        if (eventSourceArn.EndsWith(".fifo", StringComparison.Ordinal) && batchSize > 10)
            throw LambdaErrors.InvalidParameter($"BatchSize {batchSize} exceeds the max of 10");
        if (batchSize > 10 && batchingWindow == 0)
            throw LambdaErrors.InvalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    }

    public bool SourceExists(string eventSourceArn) => _bus.SourceFor(eventSourceArn)?.Exists(eventSourceArn) ?? false;

    public IEventSourcePoller Start(Scope scope, EventSourceMappingRecord mapping) => new SqsPoller(this, scope, mapping);

    /// <summary>
    /// Polls one queue for one mapping: gathers a batch (until it is full or the batching window closes, on Nephele's
    /// clock), drops messages no filter matches (deleting them, as AWS does), invokes the function, and deletes what
    /// succeeded. Failed messages are left alone: they reappear when their visibility timeout ends.
    /// </summary>
    private sealed class SqsPoller : IEventSourcePoller
    {
        private const int MaxPayloadBytes = 6 * 1024 * 1024;

        private readonly SqsEventSource _kind;
        private readonly Scope _scope;
        private readonly EventSourceMappingRecord _mapping;
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _slots;
        private readonly List<FilterPolicy> _filters;
        private readonly Task _loop;
        private readonly List<Task> _batches = [];
        private TaskCompletionSource _clockMoved = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SqsPoller(SqsEventSource kind, Scope scope, EventSourceMappingRecord mapping)
        {
            _kind = kind;
            _scope = scope;
            _mapping = mapping;
            // AWS starts five concurrent pollers per queue and scales up; ScalingConfig caps the concurrent invocations.
            _slots = new SemaphoreSlim(mapping.MaximumConcurrency ?? 5);
            _filters = [.. mapping.FilterPatterns.Select(p => FilterPolicy.Get(p, "MessageBody"))];
            kind._clock.Advanced += OnClockAdvanced;
            _loop = Task.Run(LoopAsync);
        }

        private string Arn => _mapping.EventSourceArn;

        private void OnClockAdvanced(object? sender, TimeSpan by) => Interlocked.Exchange(ref _clockMoved, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        /// <summary>Waits for a send to the queue, a clock advance, or at most <paramref name="timeout"/>.</summary>
        private async Task NapAsync(TimeSpan timeout)
        {
            var clockMoved = Volatile.Read(ref _clockMoved).Task;
            var source = _kind._bus.SourceFor(Arn);
            var arrival = source?.WaitAsync(Arn, timeout, _stop.Token) ?? Task.Delay(timeout, _stop.Token);
            await Task.WhenAny(arrival, clockMoved, Task.Delay(timeout, _stop.Token)).ConfigureAwait(false);
        }

        private async Task LoopAsync()
        {
            var backoff = TimeSpan.FromMilliseconds(100);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await _slots.WaitAsync(_stop.Token);
                    var batch = await GatherAsync();
                    if (batch.Count == 0)
                    {
                        _slots.Release();
                        continue;
                    }
                    var run = Task.Run(async () =>
                    {
                        try
                        {
                            if (!await ProcessAsync(batch)) await Task.Delay(backoff, _stop.Token);
                        }
                        finally
                        {
                            _slots.Release();
                        }
                    });
                    lock (_batches)
                    {
                        _batches.RemoveAll(t => t.IsCompleted);
                        _batches.Add(run);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e)
                {
                    LogPollFailed(_kind._log, _mapping.Uuid, Arn, e);
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }

        /// <summary>Receives until the batch is full, the payload limit is near, or (with a window) the window closed.</summary>
        private async Task<List<SourceMessage>> GatherAsync()
        {
            var batch = new List<SourceMessage>();
            var bytes = 0;
            var windowEnds = _kind._clock.GetUtcNow() + TimeSpan.FromSeconds(_mapping.MaximumBatchingWindowInSeconds);
            while (!_stop.IsCancellationRequested)
            {
                var source = _kind._bus.SourceFor(Arn);
                var received = source?.Receive(Arn, Math.Min(10, _mapping.BatchSize - batch.Count));
                if (received is null)
                {
                    // The queue is gone (or SQS is not there): wait for it to come back.
                    await NapAsync(TimeSpan.FromSeconds(1));
                    return batch;
                }
                foreach (var message in received)
                {
                    if (_filters.Count > 0 && !_filters.Any(f => f.Matches([], FilterDocument(message))))
                    {
                        source!.Delete(Arn, message.ReceiptHandle);
                        continue;
                    }
                    batch.Add(message);
                    bytes += Encoding.UTF8.GetByteCount(message.Body) + 1024;
                }
                if (batch.Count >= _mapping.BatchSize || bytes >= MaxPayloadBytes) return batch;
                if (received.Count > 0) continue;
                var remaining = windowEnds - _kind._clock.GetUtcNow();
                if (batch.Count > 0 && remaining <= TimeSpan.Zero) return batch;
                // Nothing more yet: long-poll (a send wakes it), re-checking once a second for visibility timeouts.
                await NapAsync(batch.Count > 0 && remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
            }
            return batch;
        }

        /// <summary>Invokes the function with one batch; false when it failed or was throttled (the poller backs off).</summary>
        private async Task<bool> ProcessAsync(List<SourceMessage> batch)
        {
            SourceInvokeResult result;
            try
            {
                result = await _kind._invoke(_scope, _mapping.FunctionArn, Event(batch), _stop.Token);
            }
            catch (Exception e) when (e is Core.Protocols.AwsException or ObjectDisposedException)
            {
                LogInvokeFailed(_kind._log, _mapping.Uuid, _mapping.FunctionArn, e.Message);
                return false;
            }
            if (result.FunctionError is not null) return false;
            var failed = _mapping.FunctionResponseTypes.Contains("ReportBatchItemFailures") ? FailedItems(result.Payload, batch) : [];
            // An unusable batchItemFailures response fails the whole batch, as on AWS.
            if (failed is null) return false;
            var source = _kind._bus.SourceFor(Arn);
            foreach (var message in batch)
                if (!failed.Contains(message.MessageId)) source?.Delete(Arn, message.ReceiptHandle);
            return true;
        }

        /// <summary>The message ids a ReportBatchItemFailures response names; null when the response is malformed.</summary>
        private static HashSet<string>? FailedItems(byte[] payload, List<SourceMessage> batch)
        {
            var failed = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                using var doc = JsonDocument.Parse(payload);
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("batchItemFailures", out var items)
                    || items.ValueKind == JsonValueKind.Null)
                    return failed;
                if (items.ValueKind != JsonValueKind.Array) return null;
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("itemIdentifier", out var id) || id.ValueKind != JsonValueKind.String
                        || id.GetString() is not { Length: > 0 } messageId || batch.All(m => m.MessageId != messageId))
                        return null;
                    failed.Add(messageId);
                }
            }
            catch (JsonException)
            {
                // A response that is not JSON (or null) reports no failures.
            }
            return failed;
        }

        private byte[] Event(List<SourceMessage> batch)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteStartArray("Records");
                foreach (var m in batch) WriteRecord(w, m, parseBody: false);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return buffer.ToArray();
        }

        /// <summary>The record as filter patterns see it: the same fields, with a JSON body as JSON.</summary>
        private string FilterDocument(SourceMessage m)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer)) WriteRecord(w, m, parseBody: true);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private void WriteRecord(Utf8JsonWriter w, SourceMessage m, bool parseBody)
        {
            w.WriteStartObject();
            w.WriteString("messageId", m.MessageId);
            w.WriteString("receiptHandle", m.ReceiptHandle);
            w.WritePropertyName("body");
            if (parseBody && TryParse(m.Body) is { } json) json.WriteTo(w);
            else w.WriteStringValue(m.Body);
            w.WriteStartObject("attributes");
            foreach (var (name, value) in m.Attributes) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteStartObject("messageAttributes");
            foreach (var a in m.MessageAttributes)
            {
                w.WriteStartObject(a.Name);
                // The data type decides (Binary.jpeg is binary), not which value happens to be set.
                if (a.DataType.StartsWith("Binary", StringComparison.Ordinal)) w.WriteString("binaryValue", Convert.ToBase64String(a.BinaryValue ?? []));
                else w.WriteString("stringValue", a.StringValue);
                w.WriteStartArray("stringListValues");
                w.WriteEndArray();
                w.WriteStartArray("binaryListValues");
                w.WriteEndArray();
                w.WriteString("dataType", a.DataType);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteString("md5OfBody", m.Md5OfBody);
            if (m.Md5OfMessageAttributes is { } md5) w.WriteString("md5OfMessageAttributes", md5);
            w.WriteString("eventSource", "aws:sqs");
            w.WriteString("eventSourceARN", Arn);
            w.WriteString("awsRegion", _scope.Region);
            w.WriteEndObject();
        }

        private static JsonElement? TryParse(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _kind._clock.Advanced -= OnClockAdvanced;
            await _stop.CancelAsync();
            Task[] running;
            lock (_batches) running = [.. _batches, _loop];
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lambda event source mapping {Uuid} failed to poll {Queue}")]
    private static partial void LogPollFailed(ILogger logger, string uuid, string queue, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda event source mapping {Uuid} could not invoke {Function}: {Reason}")]
    private static partial void LogInvokeFailed(ILogger logger, string uuid, string function, string reason);
}
