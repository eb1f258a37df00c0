using System.Globalization;
using System.Text;
using System.Text.Json;
using Nephele.Core.Events;
using Nephele.Core.State;
using Nephele.Services.DynamoDbStreams;
using Nephele.Services.Lambda.AsyncInvocation;
using Nephele.Services.Sns;

namespace Nephele.Services.Lambda.EventSources;

/// <summary>
/// Reads one DynamoDB stream for one mapping, in sequence order, from the mapping's checkpoint. One batch at a time:
/// a failed batch is retried (bisected when asked) until it succeeds, its retries run out or its records are too
/// old; then it goes to the on-failure destination and the poller moves on. It sleeps until records are appended
/// (the bus event) or the clock moves, never polling busily.
/// </summary>
internal sealed class DynamoDbStreamPoller : IEventSourcePoller
{
    private const int MaxPayloadBytes = 6 * 1024 * 1024;
    private const string Ok = "OK";
    private const string Problem = "PROBLEM: Function call failed";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    private readonly DynamoDbStreamEventSource _kind;
    private readonly Scope _scope;
    private readonly EventSourceMappingRecord _mapping;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FilterPolicy> _filters;
    private readonly IDisposable _subscription;
    private readonly Task _loop;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Checkpoint _checkpoint;
    private DateTimeOffset? _windowStart;

    private sealed record Item(string Sequence, string Json, long CreatedMillis);

    public DynamoDbStreamPoller(DynamoDbStreamEventSource kind, Scope scope, EventSourceMappingRecord mapping)
    {
        _kind = kind;
        _scope = scope;
        _mapping = mapping;
        _filters = [.. mapping.FilterPatterns.Select(p => FilterPolicy.Get(p, "MessageBody"))];
        _subscription = kind.Bus.Subscribe<DynamoDbStreamRecordsAppended>(e =>
        {
            if (e.Scope == _scope && e.StreamArn == Arn) Wake();
        });
        kind.Clock.Advanced += OnClockAdvanced;
        // Fixed now, before CreateEventSourceMapping answers, so LATEST means "after what the stream holds now".
        _checkpoint = kind.CheckpointOf(scope, mapping.Uuid) ?? Initial();
        _loop = Task.Run(LoopAsync);
    }

    private string Arn => _mapping.EventSourceArn;

    private Checkpoint Initial()
    {
        var stream = _kind.Streams.Find(_scope, Arn);
        var after = stream is null || _mapping.StartingPosition != "LATEST"
            ? SequenceNumbers.Format(0)
            : _kind.Streams.LastSequence(_scope, stream) ?? SequenceNumbers.Previous(stream.StartingSequenceNumber);
        var checkpoint = new Checkpoint { After = after };
        _kind.Checkpoints.Put(_scope, _mapping.Uuid, checkpoint, CheckpointJsonContext.Default.Checkpoint);
        return checkpoint;
    }

    private void Save(string after, string? result)
    {
        _checkpoint = new Checkpoint { After = after, LastProcessingResult = result ?? _checkpoint.LastProcessingResult };
        _kind.Checkpoints.Put(_scope, _mapping.Uuid, _checkpoint, CheckpointJsonContext.Default.Checkpoint);
    }

    private void Wake() => Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void OnClockAdvanced(object? sender, TimeSpan by) => Wake();

    private Task Signal => Volatile.Read(ref _signal).Task;

    private async Task NapAsync(Task signal, TimeSpan timeout) =>
        await Task.WhenAny(signal, Task.Delay(timeout, _stop.Token)).ConfigureAwait(false);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var signal = Signal;
                if (_kind.Streams.Find(_scope, Arn) is not { } stream)
                {
                    await NapAsync(signal, Idle);
                    continue;
                }
                var rows = _kind.Streams.Read(_scope, stream, _checkpoint.After, _mapping.BatchSize);
                if (rows.Count == 0)
                {
                    await NapAsync(signal, Idle);
                    continue;
                }
                if (rows.Count < _mapping.BatchSize && _mapping.MaximumBatchingWindowInSeconds > 0)
                {
                    // Gather until the batch is full or the window (on Nephele's clock) has closed.
                    var now = _kind.Clock.GetUtcNow();
                    _windowStart ??= now;
                    var remaining = _windowStart.Value + TimeSpan.FromSeconds(_mapping.MaximumBatchingWindowInSeconds) - now;
                    if (remaining > TimeSpan.Zero)
                    {
                        await NapAsync(signal, remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
                        continue;
                    }
                }
                _windowStart = null;
                var items = new List<Item>();
                var bytes = 0;
                foreach (var (sequence, row) in rows)
                {
                    var json = StreamRecordWire.LambdaJson(row, sequence, stream.StreamViewType, _scope.Region, stream.StreamArn);
                    bytes += Encoding.UTF8.GetByteCount(json) + 1;
                    if (items.Count > 0 && bytes > MaxPayloadBytes) break;
                    items.Add(new Item(sequence, json, row.CreatedMillis));
                }
                var end = items[^1].Sequence;
                // Records no filter matches are dropped, as on AWS.
                var kept = _filters.Count == 0 ? items : [.. items.Where(i => _filters.Any(f => f.Matches([], i.Json)))];
                if (kept.Count > 0) await ProcessAsync(kept);
                if (!_stop.IsCancellationRequested) Save(end, null);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                DynamoDbStreamEventSource.LogPollFailed(_kind.Log, _mapping.Uuid, Arn, e);
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Runs one batch to its end: success, or failure sent to the destination. Checkpoints as it goes.</summary>
    private async Task ProcessAsync(List<Item> batch)
    {
        var segments = new List<List<Item>> { batch };
        var attempts = 0;
        while (segments.Count > 0)
        {
            _stop.Token.ThrowIfCancellationRequested();
            var segment = segments[0];
            var result = await InvokeAsync(segment);
            attempts++;
            var failedAt = result?.FunctionError is null && result is not null ? FailedIndex(result.Payload, segment) : -1;
            if (failedAt is null)
            {
                segments.RemoveAt(0);
                Save(segment[^1].Sequence, Ok);
                attempts = 0;
                continue;
            }
            if (failedAt > 0)
            {
                // Checkpoint before the first failed record; the retry starts there.
                Save(segment[failedAt.Value - 1].Sequence, Problem);
                segment = segment[failedAt.Value..];
                segments[0] = segment;
            }
            else
            {
                Save(_checkpoint.After, Problem);
            }
            var ageLimit = _mapping.MaximumRecordAgeInSeconds is > 0 and var age ? TimeSpan.FromSeconds(age) : StreamStore.Retention;
            var now = _kind.Clock.GetUtcNow();
            string? condition = null;
            if (now - DateTimeOffset.FromUnixTimeMilliseconds(segment[0].CreatedMillis) >= ageLimit) condition = "RecordAgeExceeded";
            else if (failedAt == -1 && _mapping.BisectBatchOnFunctionError == true && segment.Count > 1)
            {
                // Splitting does not count towards the retry quota: each half is tried at once, with its own retries.
                var half = segment.Count / 2;
                attempts = 0;
                segments.RemoveAt(0);
                segments.InsertRange(0, [segment[..half], segment[half..]]);
                continue;
            }
            else if (_mapping.MaximumRetryAttempts is >= 0 and var max && attempts > max) condition = "RetryAttemptsExhausted";
            if (condition is not null)
            {
                SendFailure(segment, condition, attempts, result);
                segments.RemoveAt(0);
                Save(segment[^1].Sequence, Problem);
                attempts = 0;
                continue;
            }
            await BackoffAsync(attempts);
        }
    }

    /// <summary>Waits before a retry: 1, 2, 4 ... up to 60 seconds of Nephele's clock (an advance ends it early).</summary>
    private async Task BackoffAsync(int attempts)
    {
        var due = _kind.Clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(attempts - 1, 6)));
        while (!_stop.IsCancellationRequested)
        {
            var signal = Signal;
            var remaining = due - _kind.Clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero) return;
            await NapAsync(signal, remaining);
        }
        _stop.Token.ThrowIfCancellationRequested();
    }

    /// <summary>The invocation's result; null when the function could not be invoked at all (retried like an error).</summary>
    private async Task<SourceInvokeResult?> InvokeAsync(List<Item> segment)
    {
        var payload = new StringBuilder("{\"Records\":[");
        for (var i = 0; i < segment.Count; i++) payload.Append(i == 0 ? "" : ",").Append(segment[i].Json);
        payload.Append("]}");
        try
        {
            return await _kind.Invoke(_scope, _mapping.FunctionArn, Encoding.UTF8.GetBytes(payload.ToString()), _stop.Token);
        }
        catch (Exception e) when (e is Core.Protocols.AwsException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// With ReportBatchItemFailures: the index of the first failed record (null = all succeeded, 0 = retry all);
    /// without: null. A malformed response or an unknown identifier fails the whole batch, as on AWS.
    /// </summary>
    private int? FailedIndex(byte[] payload, List<Item> segment)
    {
        if (!_mapping.FunctionResponseTypes.Contains("ReportBatchItemFailures")) return null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("batchItemFailures", out var items)
                || items.ValueKind == JsonValueKind.Null)
                return null;
            if (items.ValueKind != JsonValueKind.Array) return 0;
            int? first = null;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("itemIdentifier", out var id) || id.ValueKind != JsonValueKind.String)
                    return 0;
                var index = segment.FindIndex(i => i.Sequence == id.GetString());
                if (index < 0) return 0;
                first = first is null ? index : Math.Min(first.Value, index);
            }
            return first;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The on-failure record AWS sends for a stream batch it gives up on (the records themselves are not in it).</summary>
    private void SendFailure(List<Item> segment, string condition, int attempts, SourceInvokeResult? result)
    {
        DynamoDbStreamEventSource.LogBatchFailed(_kind.Log, _mapping.Uuid, Arn, condition);
        if (_mapping.OnFailureDestination is not { } destination) return;
        var stream = _kind.Streams.Find(_scope, Arn);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("requestContext");
            w.WriteString("requestId", Guid.NewGuid().ToString());
            w.WriteString("functionArn", _mapping.FunctionArn);
            w.WriteString("condition", condition);
            w.WriteNumber("approximateInvokeCount", attempts);
            w.WriteEndObject();
            w.WriteStartObject("responseContext");
            w.WriteNumber("statusCode", result is null ? 500 : 200);
            w.WriteString("executedVersion", _mapping.FunctionArn.Split(':') is { Length: 8 } parts ? parts[7] : "$LATEST");
            if (result?.FunctionError is { } error) w.WriteString("functionError", error);
            w.WriteEndObject();
            w.WriteString("version", "1.0");
            w.WriteString("timestamp", _kind.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteStartObject("DDBStreamBatchInfo");
            w.WriteString("shardId", stream?.ShardId ?? "");
            w.WriteString("startSequenceNumber", segment[0].Sequence);
            w.WriteString("endSequenceNumber", segment[^1].Sequence);
            w.WriteString("approximateArrivalOfFirstRecord", Arrival(segment[0]));
            w.WriteString("approximateArrivalOfLastRecord", Arrival(segment[^1]));
            w.WriteNumber("batchSize", segment.Count);
            w.WriteString("streamArn", Arn);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var delivered = _kind.Bus.Deliver(new Delivery
        {
            TargetArn = destination,
            Body = Encoding.UTF8.GetString(buffer.ToArray()),
            SourceArn = _mapping.FunctionArn,
        });
        if (delivered is not { Succeeded: true })
            DynamoDbStreamEventSource.LogDestinationFailed(_kind.Log, _mapping.Uuid, destination, delivered?.Reason ?? "no service handles it");
    }

    private static string Arrival(Item item) =>
        DateTimeOffset.FromUnixTimeMilliseconds(item.CreatedMillis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _kind.Clock.Advanced -= OnClockAdvanced;
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
