using Nephele.Core.Events;

namespace Nephele.Services.Sqs;

/// <summary>
/// Queues as a source that other services poll by ARN (Lambda event source mappings): the same claim, delete and
/// long-poll wake-up as ReceiveMessage and DeleteMessage, so visibility timeouts, redrive and FIFO group locking apply.
/// </summary>
public sealed partial class SqsProvider : IMessageSource
{
    private static readonly string[] SourceSystemAttributes = ["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"];

    public bool Exists(string arn) => QueueAt(arn) is not null;

    public IReadOnlyList<SourceMessage>? Receive(string arn, int max, TimeSpan? visibilityTimeout = null)
    {
        if (QueueAt(arn) is not { } queue) return null;
        var visibility = visibilityTimeout is { } v ? (long)v.TotalSeconds : QueueAttributes.Number(queue.Queue, "VisibilityTimeout");
        var claimed = Claim(queue, Math.Clamp(max, 1, 10), visibility, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        return [.. claimed.Select(c => ToSourceMessage(c.Key, c.Message))];
    }

    public void Delete(string arn, string receiptHandle)
    {
        if (QueueAt(arn) is not { } queue) return;
        if (ReceiptHandles.Decode(receiptHandle) is { } decoded && decoded.Key.StartsWith(MessagePrefix(queue.Name), StringComparison.Ordinal))
            _messages.Delete(queue.Scope, decoded.Key);
    }

    public Task WaitAsync(string arn, TimeSpan timeout, CancellationToken ct)
    {
        var parts = arn.Split(':');
        var signal = parts.Length == 6 ? _signals.Next($"{new Core.State.Scope(parts[4], parts[3])}/{parts[5]}") : Task.CompletedTask;
        return Task.WhenAny(signal, Task.Delay(timeout, ct));
    }

    private static SourceMessage ToSourceMessage(string key, MessageRecord m)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in SourceSystemAttributes)
        {
            var value = name switch
            {
                "ApproximateReceiveCount" => Text(m.ReceiveCount),
                "SentTimestamp" => Text(m.SentMillis),
                "SenderId" => m.SenderId,
                _ => Text(m.FirstReceiveMillis),
            };
            if (value is not null) attributes[name] = value;
        }
        if (m.SequenceNumber is { } sequence)
        {
            attributes["SequenceNumber"] = sequence;
            if (m.MessageGroupId is { } group) attributes["MessageGroupId"] = group;
            if (m.MessageDeduplicationId is { } dedup) attributes["MessageDeduplicationId"] = dedup;
        }
        if (m.AwsTraceHeader is { } trace) attributes["AWSTraceHeader"] = trace;
        return new SourceMessage(m.MessageId, ReceiptHandles.Encode(key, m.ReceiptNonce), m.Body, m.Md5OfBody,
            m.MessageAttributes.Count > 0 ? m.Md5OfMessageAttributes : null, attributes,
            [.. m.MessageAttributes.Select(a => new DeliveryAttribute(a.Name, a.DataType, a.StringValue, a.BinaryValue))]);
    }
}
