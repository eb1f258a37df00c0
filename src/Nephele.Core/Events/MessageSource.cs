namespace Nephele.Core.Events;

/// <summary>
/// A service whose resources other services pull messages from by ARN (SQS queues polled by Lambda event source
/// mappings). The pull counterpart of <see cref="IDeliveryTarget"/>: the consumer never sees the source's records,
/// only what a ReceiveMessage caller would.
/// </summary>
public interface IMessageSource
{
    /// <summary>Whether the ARN names a resource that exists.</summary>
    bool Exists(string arn);

    /// <summary>
    /// Takes up to <paramref name="max"/> visible messages and hides them for <paramref name="visibilityTimeout"/>
    /// (the queue's own when null), exactly as ReceiveMessage does; null when the ARN names nothing that exists.
    /// </summary>
    IReadOnlyList<SourceMessage>? Receive(string arn, int max, TimeSpan? visibilityTimeout = null);

    /// <summary>Removes a received message for good (DeleteMessage).</summary>
    void Delete(string arn, string receiptHandle);

    /// <summary>Completes when a message may have arrived at <paramref name="arn"/>, or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(string arn, TimeSpan timeout, CancellationToken ct);
}

/// <summary>One received message, with every system attribute and every message attribute.</summary>
public sealed record SourceMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    string Md5OfBody,
    string? Md5OfMessageAttributes,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<DeliveryAttribute> MessageAttributes);
