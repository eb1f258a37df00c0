using System.Diagnostics;
using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private static readonly string[] AllSystemAttributes = ["SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"];

    private async ValueTask<Dictionary<string, object?>> ReceiveMessage(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var max = input.GetLong("MaxNumberOfMessages") ?? 1;
        if (max is < 1 or > 10) throw SqsErrors.OutOfRange("MaxNumberOfMessages", max, 1, 10);
        var visibility = input.GetLong("VisibilityTimeout") ?? QueueAttributes.Number(queue.Queue, "VisibilityTimeout");
        if (visibility is < 0 or > 43_200) throw SqsErrors.OutOfRange("VisibilityTimeout", visibility, 0, 43_200);
        var wait = input.GetLong("WaitTimeSeconds") ?? QueueAttributes.Number(queue.Queue, "ReceiveMessageWaitTimeSeconds");
        if (wait is < 0 or > 20) throw SqsErrors.OutOfRange("WaitTimeSeconds", wait, 0, 20);

        // Long polling waits in real time (a client's socket is waiting), but every visibility decision reads
        // Nephele's clock: a send wakes the wait at once, and a short re-scan catches delays and timeouts that expire.
        var started = Stopwatch.GetTimestamp();
        List<(string Key, MessageRecord Message)> claimed;
        while (true)
        {
            var signal = _signals.Next(queue.SignalKey);
            claimed = Claim(queue, (int)max, visibility, Millis(ctx));
            var remaining = TimeSpan.FromSeconds(wait) - Stopwatch.GetElapsedTime(started);
            if (claimed.Count > 0 || remaining <= TimeSpan.Zero || ctx.Aborted.IsCancellationRequested) break;
            var nap = remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1);
            await Task.WhenAny(signal, Task.Delay(nap, ctx.Aborted)).ConfigureAwait(false);
        }

        var systemNames = input.GetStrings("AttributeNames").Concat(input.GetStrings("MessageSystemAttributeNames")).ToHashSet(StringComparer.Ordinal);
        var attributeNames = input.GetStrings("MessageAttributeNames");
        var messages = claimed.Select(c => (object?)Render(c.Key, c.Message, systemNames, attributeNames)).ToList();
        return new() { ["Messages"] = messages };
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> visible messages in one transaction, so two receivers never get the
    /// same message: each gets a new receipt handle and a visibility deadline. Expired messages are dropped, and
    /// one received more often than the redrive policy allows moves to its dead-letter queue instead.
    /// </summary>
    private List<(string Key, MessageRecord Message)> Claim(QueueRef queue, int max, long visibility, long now)
    {
        var retention = QueueAttributes.Number(queue.Queue, "MessageRetentionPeriod") * 1000;
        var redrive = QueueAttributes.RedriveTarget(queue.Queue);
        return _state.Transaction(() =>
        {
            var claimed = new List<(string, MessageRecord)>();
            var lockedGroups = queue.Queue.IsFifo ? new HashSet<string>(StringComparer.Ordinal) : null;
            foreach (var row in Rows(queue))
            {
                var message = JsonSerializer.Deserialize(row.Value, SqsJsonContext.Default.MessageRecord)!;
                if (now - message.SentMillis >= retention)
                {
                    _messages.Delete(queue.Scope, row.Key);
                    continue;
                }
                // FIFO: a group waits while any earlier message of it is in flight or delayed, which keeps its order.
                if (message.VisibleAtMillis > now)
                {
                    if (lockedGroups is not null && message.MessageGroupId is { } locked) lockedGroups.Add(locked);
                    continue;
                }
                if (lockedGroups is not null && message.MessageGroupId is { } group && lockedGroups.Contains(group)) continue;
                if (redrive is { } r && message.ReceiveCount >= r.MaxReceiveCount && MoveToDeadLetterQueue(queue, row.Key, message, r.Arn, now))
                    continue;
                message.ReceiveCount++;
                if (message.FirstReceiveMillis == 0) message.FirstReceiveMillis = now;
                message.VisibleAtMillis = now + visibility * 1000;
                message.ReceiptNonce = Guid.NewGuid().ToString("N");
                _messages.Put(queue.Scope, row.Key, message, SqsJsonContext.Default.MessageRecord);
                claimed.Add((row.Key, message));
                if (claimed.Count == max) break;
            }
            return claimed;
        });
    }

    /// <summary>The queue's message rows oldest first, read a page at a time so a receive stops reading once it has its messages.</summary>
    private IEnumerable<KeyValuePair<string, byte[]>> Rows(QueueRef queue)
    {
        const int PageSize = 64;
        string? after = null;
        while (true)
        {
            var page = _messages.List(queue.Scope, MessagePrefix(queue.Name), after, PageSize);
            foreach (var row in page) yield return row;
            if (page.Count < PageSize) yield break;
            after = page[^1].Key;
        }
    }

    /// <summary>Moves a message to the dead-letter queue (same id, body and sent time); false when that queue is gone.</summary>
    private bool MoveToDeadLetterQueue(QueueRef source, string key, MessageRecord message, string dlqArn, long now)
    {
        var parts = dlqArn.Split(':');
        if (parts.Length != 6) return false;
        var scope = new Scope(parts[4], parts[3]);
        var name = parts[5];
        if (_queues.Get(scope, name) is null) return false;
        _messages.Delete(source.Scope, key);
        message.VisibleAtMillis = now;
        message.ReceiptNonce = "";
        message.DeadLetterSourceArn = source.Arn;
        _messages.Put(scope, $"{MessagePrefix(name)}{key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]}", message, SqsJsonContext.Default.MessageRecord);
        _signals.Pulse($"{scope}/{name}");
        return true;
    }

    private static Dictionary<string, object?> Render(string key, MessageRecord message, HashSet<string> systemNames, IReadOnlyList<string> attributeNames)
    {
        var result = new Dictionary<string, object?>
        {
            ["MessageId"] = message.MessageId,
            ["ReceiptHandle"] = ReceiptHandles.Encode(key, message.ReceiptNonce),
            ["MD5OfBody"] = message.Md5OfBody,
            ["Body"] = message.Body,
        };
        var all = systemNames.Contains("All");
        var system = new Dictionary<string, object?>();
        foreach (var name in AllSystemAttributes)
        {
            if (!all && !systemNames.Contains(name)) continue;
            system[name] = name switch
            {
                "SenderId" => message.SenderId,
                "SentTimestamp" => Text(message.SentMillis),
                "ApproximateReceiveCount" => Text(message.ReceiveCount),
                _ => Text(message.FirstReceiveMillis),
            };
        }
        if (message.SequenceNumber is not null)
        {
            if (all || systemNames.Contains("MessageGroupId")) system["MessageGroupId"] = message.MessageGroupId;
            if (all || systemNames.Contains("MessageDeduplicationId")) system["MessageDeduplicationId"] = message.MessageDeduplicationId;
            if (all || systemNames.Contains("SequenceNumber")) system["SequenceNumber"] = message.SequenceNumber;
        }
        if (message.AwsTraceHeader is { } trace && (all || systemNames.Contains("AWSTraceHeader"))) system["AWSTraceHeader"] = trace;
        if (system.Count > 0) result["Attributes"] = system;

        // The digest covers exactly the attributes returned: that is what SDKs recompute and compare.
        var selected = message.MessageAttributes.Where(a => AttributeWanted(a.Name, attributeNames)).ToList();
        if (selected.Count > 0)
        {
            result["MessageAttributes"] = selected.ToDictionary(a => a.Name, a => (object?)AttributeValue(a));
            result["MD5OfMessageAttributes"] = SqsMd5.OfAttributes(selected);
        }
        return result;
    }

    private static bool AttributeWanted(string name, IReadOnlyList<string> wanted) => wanted.Any(w =>
        w is "All" or ".*" || w == name || (w.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(w[..^1], StringComparison.Ordinal)));

    private static Dictionary<string, object?> AttributeValue(MessageAttribute a)
    {
        var value = new Dictionary<string, object?> { ["DataType"] = a.DataType };
        if (a.IsBinary) value["BinaryValue"] = a.BinaryValue ?? [];
        else value["StringValue"] = a.StringValue;
        return value;
    }

    private (long Visible, long InFlight, long Delayed) CountMessages(QueueRef queue, long now)
    {
        var retention = QueueAttributes.Number(queue.Queue, "MessageRetentionPeriod") * 1000;
        long visible = 0, inFlight = 0, delayed = 0;
        foreach (var row in _messages.List(queue.Scope, MessagePrefix(queue.Name)))
        {
            var m = JsonSerializer.Deserialize(row.Value, SqsJsonContext.Default.MessageRecord)!;
            if (now - m.SentMillis >= retention) continue;
            if (m.VisibleAtMillis <= now) visible++;
            else if (m.ReceiveCount > 0) inFlight++;
            else delayed++;
        }
        return (visible, inFlight, delayed);
    }
}
