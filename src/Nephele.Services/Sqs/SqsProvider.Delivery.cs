using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Events;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>
/// Messages other services put into queues (SNS subscriptions, dead-letter targets of SNS), addressed by queue ARN
/// through the event bus. They are stored exactly like a SendMessage, inside the sender's transaction when it has one.
/// </summary>
public sealed partial class SqsProvider : IDeliveryTarget
{
    /// <summary>The sender id AWS shows on messages that SNS delivered.</summary>
    private const string SnsSenderId = "AIDAIT2UOQQY3AUEKVGXU";

    public DeliveryResult Deliver(Delivery delivery)
    {
        var parts = delivery.TargetArn.Split(':');
        if (parts.Length != 6) return new(DeliveryOutcome.TargetNotFound, $"Not a queue ARN: {delivery.TargetArn}");
        var scope = new Scope(parts[4], parts[3]);
        if (CachedQueue(scope, parts[5]) is not { } record)
            return new(DeliveryOutcome.TargetNotFound, $"Queue {delivery.TargetArn} does not exist.");
        var queue = new QueueRef(scope, record);

        if (delivery.Attributes.Count > 10)
            return new(DeliveryOutcome.Rejected, $"Number of message attributes [{delivery.Attributes.Count}] exceeds the allowed maximum [10].");
        var attributes = delivery.Attributes
            .Select(a => new MessageAttribute { Name = a.Name, DataType = a.DataType, StringValue = a.StringValue, BinaryValue = a.BinaryValue })
            .ToList();
        var size = Encoding.UTF8.GetByteCount(delivery.Body)
            + delivery.Attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Name) + Encoding.UTF8.GetByteCount(a.DataType)
                + Encoding.UTF8.GetByteCount(a.StringValue ?? "") + (a.BinaryValue?.Length ?? 0));
        if (size > QueueAttributes.Number(queue.Queue, "MaximumMessageSize"))
            return new(DeliveryOutcome.Rejected, "Message too long for the queue's MaximumMessageSize.");

        string? deduplicationId = null;
        if (queue.Queue.IsFifo)
        {
            if (string.IsNullOrEmpty(delivery.MessageGroupId)) return new(DeliveryOutcome.Rejected, "A FIFO queue needs a MessageGroupId.");
            deduplicationId = delivery.MessageDeduplicationId;
            if (string.IsNullOrEmpty(deduplicationId))
            {
                if (QueueAttributes.Effective(queue.Queue, "ContentBasedDeduplication") != "true")
                    return new(DeliveryOutcome.Rejected, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
                deduplicationId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(delivery.Body)));
            }
        }

        var now = env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = Guid.NewGuid().ToString();
        var message = new MessageRecord
        {
            MessageId = id,
            Body = delivery.Body,
            Md5OfBody = SqsMd5.OfBody(delivery.Body),
            Md5OfMessageAttributes = SqsMd5.OfAttributes(attributes),
            MessageAttributes = attributes,
            SenderId = SnsSenderId,
            MessageGroupId = delivery.MessageGroupId,
            MessageDeduplicationId = deduplicationId,
            SentMillis = now,
            VisibleAtMillis = now + QueueAttributes.Number(queue.Queue, "DelaySeconds") * 1000,
        };
        var key = $"{MessagePrefix(queue.Name)}{now:D15}-{id}";
        if (queue.Queue.IsFifo) _state.Transaction(() => Store(queue, key, message, now));
        else Store(queue, key, message, 0);
        _signals.Pulse(queue.SignalKey);
        return DeliveryResult.Delivered;
    }
}
