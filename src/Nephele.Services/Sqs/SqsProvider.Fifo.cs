using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private const long DeduplicationWindowMillis = 5 * 60 * 1000;
    private long _sequence;

    /// <summary>A FIFO send's group and deduplication id (explicit, else the body's SHA-256 with ContentBasedDeduplication).</summary>
    private static (string? GroupId, string? DeduplicationId) FifoIds(QueueRef queue, Dictionary<string, object?> input, string body)
    {
        var groupId = input.GetString("MessageGroupId");
        var deduplicationId = input.GetString("MessageDeduplicationId");
        if (!queue.Queue.IsFifo)
        {
            if (deduplicationId is not null)
                throw SqsErrors.InvalidParameterValue("The request include parameter MessageDeduplicationId that is not valid for this queue type");
            return (groupId, null);
        }
        if (string.IsNullOrEmpty(groupId)) throw SqsErrors.MissingParameter("MessageGroupId");
        // FIFO queues delay only through the queue's DelaySeconds, never per message.
        if (input.GetLong("DelaySeconds") is > 0 and var d)
            throw SqsErrors.InvalidParameterValue($"Value {d} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.");
        if (string.IsNullOrEmpty(deduplicationId))
        {
            if (QueueAttributes.Effective(queue.Queue, "ContentBasedDeduplication") != "true")
                throw SqsErrors.InvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
            deduplicationId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        }
        return (groupId, deduplicationId);
    }

    /// <summary>
    /// Stores a sent message, inside the caller's transaction for FIFO queues. A FIFO message whose deduplication
    /// id was seen in the last five minutes is accepted but not stored, and answered with the first one's id.
    /// </summary>
    private MessageRecord Store(QueueRef queue, string key, MessageRecord message, long now)
    {
        if (queue.Queue.IsFifo && message.MessageDeduplicationId is { } dedup)
        {
            var dedupKey = $"{MessagePrefix(queue.Name)}{dedup}";
            var seen = _deduplication.Get(queue.Scope, dedupKey, SqsJsonContext.Default.DeduplicationRecord);
            if (seen is not null && seen.ExpiresMillis > now)
                return new MessageRecord { MessageId = seen.MessageId, Body = message.Body, Md5OfBody = message.Md5OfBody, Md5OfMessageAttributes = message.Md5OfMessageAttributes, SequenceNumber = seen.SequenceNumber };
            message.SequenceNumber = $"{now:D15}{Interlocked.Increment(ref _sequence) % 100_000:D5}";
            _deduplication.Put(queue.Scope, dedupKey,
                new DeduplicationRecord { MessageId = message.MessageId, SequenceNumber = message.SequenceNumber, ExpiresMillis = now + DeduplicationWindowMillis },
                SqsJsonContext.Default.DeduplicationRecord);
        }
        _messages.Put(queue.Scope, key, message, SqsJsonContext.Default.MessageRecord);
        return message;
    }
}
