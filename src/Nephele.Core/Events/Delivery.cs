namespace Nephele.Core.Events;

/// <summary>
/// A message one service hands to another for delivery (SNS to an SQS queue or a Lambda function). The target
/// is named by its ARN; the receiving service decides what the fields mean for it.
/// </summary>
public sealed class Delivery
{
    /// <summary>The endpoint: a queue ARN, a function ARN (optionally qualified).</summary>
    public required string TargetArn { get; init; }
    public required string Body { get; init; }
    /// <summary>Typed attributes that travel with the body (SQS message attributes for raw SNS delivery).</summary>
    public IReadOnlyList<DeliveryAttribute> Attributes { get; init; } = [];
    /// <summary>The resource that sent it (a topic ARN), for the target's own records and policies.</summary>
    public string? SourceArn { get; init; }
    public string? MessageGroupId { get; init; }
    public string? MessageDeduplicationId { get; init; }
}

/// <summary>One typed attribute; <see cref="DataType"/> is AWS's (String, Number, Binary, with optional custom suffix).</summary>
public sealed record DeliveryAttribute(string Name, string DataType, string? StringValue, byte[]? BinaryValue);

public enum DeliveryOutcome
{
    /// <summary>Accepted durably by the target service.</summary>
    Delivered,
    /// <summary>The target ARN names nothing that exists (a deleted queue, an unknown function).</summary>
    TargetNotFound,
    /// <summary>The target exists but refused the message (too large, invalid for a FIFO queue ...).</summary>
    Rejected,
}

public readonly record struct DeliveryResult(DeliveryOutcome Outcome, string? Reason = null)
{
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered);
    public bool Succeeded => Outcome == DeliveryOutcome.Delivered;
}

/// <summary>
/// A service that accepts deliveries addressed to its ARNs. <see cref="Deliver"/> runs on the sender's thread,
/// possibly inside the sender's state transaction, so it must only store the message (durably, through the
/// state store) and return: running it (a Lambda invocation) happens later, from the target's own store.
/// </summary>
public interface IDeliveryTarget
{
    DeliveryResult Deliver(Delivery delivery);
}
