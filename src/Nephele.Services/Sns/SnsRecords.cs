using System.Text.Json.Serialization;

namespace Nephele.Services.Sns;

/// <summary>A topic as stored: the attributes a user set (AWS names), tags, and its data protection policy.</summary>
internal sealed class TopicRecord
{
    public required string Name { get; init; }
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    public string? DataProtectionPolicy { get; set; }
    public long SubscriptionsDeleted { get; set; }

    [JsonIgnore]
    public bool IsFifo => Attributes.GetValueOrDefault("FifoTopic") == "true";
}

/// <summary>A subscription, stored under its topic (key topic/id) so a topic's subscriptions are one prefix scan.</summary>
internal sealed class SubscriptionRecord
{
    public required string Id { get; init; }
    public required string TopicArn { get; init; }
    public required string Protocol { get; init; }
    public required string Endpoint { get; init; }
    public required string Owner { get; init; }
    /// <summary>User-set attributes: RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy ...</summary>
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);
    public bool PendingConfirmation { get; set; }
    public bool ConfirmationWasAuthenticated { get; set; }
    /// <summary>The confirmation token sent to HTTP/HTTPS and email endpoints; ConfirmSubscription must present it.</summary>
    public string? Token { get; set; }

    [JsonIgnore]
    public string Arn => $"{TopicArn}:{Id}";
    [JsonIgnore]
    public bool RawMessageDelivery => string.Equals(Attributes.GetValueOrDefault("RawMessageDelivery"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// An HTTP/HTTPS POST not yet acknowledged by its endpoint: the outbox that makes deliveries survive a restart.
/// Keyed by due time so the dispatcher finds what is due with one ordered scan.
/// </summary>
internal sealed class PendingHttpDelivery
{
    public required string Id { get; init; }
    public required string SubscriptionArn { get; init; }
    public required string Endpoint { get; init; }
    public required string Body { get; init; }
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>How many POSTs failed so far.</summary>
    public int Failures { get; set; }
    public long DueMillis { get; set; }
    public required RetryPolicy Retry { get; init; }
    /// <summary>Where the message goes once retries are exhausted (an SQS queue ARN), from the subscription's RedrivePolicy.</summary>
    public string? DeadLetterTargetArn { get; init; }
    /// <summary>Confirmations are never dead-lettered; only notifications are.</summary>
    public bool IsNotification { get; init; }
}

/// <summary>The numbers of an SNS healthyRetryPolicy: how often and how far apart failed HTTP deliveries are retried.</summary>
internal sealed class RetryPolicy
{
    public int NumRetries { get; init; } = 3;
    public int NumNoDelayRetries { get; init; }
    public int NumMinDelayRetries { get; init; }
    public int NumMaxDelayRetries { get; init; }
    public int MinDelayTarget { get; init; } = 20;
    public int MaxDelayTarget { get; init; } = 20;
    public string BackoffFunction { get; init; } = "linear";
}

/// <summary>A message "sent" to a phone, an email address or a platform endpoint: kept for the internal endpoints.</summary>
internal sealed class RecordedMessage
{
    public required string MessageId { get; init; }
    public required string Protocol { get; init; }
    public required string Endpoint { get; init; }
    public required string Message { get; init; }
    public string? Subject { get; init; }
    public string? TopicArn { get; init; }
    public string? SubscriptionArn { get; init; }
    public Dictionary<string, string>? MessageAttributes { get; init; }
    public required string Timestamp { get; init; }
}

/// <summary>A FIFO topic's deduplication id seen recently: repeats within five minutes are accepted but not delivered.</summary>
internal sealed class TopicDeduplicationRecord
{
    public required string MessageId { get; init; }
    public required string SequenceNumber { get; init; }
    public long ExpiresMillis { get; init; }
}

/// <summary>The key SNS signs messages with and its self-signed certificate (served at the SigningCertURL).</summary>
internal sealed class SigningKeyRecord
{
    public required string PrivateKeyPem { get; init; }
    public required string CertificatePem { get; init; }
}

internal sealed class PlatformApplicationRecord
{
    public required string Name { get; init; }
    public required string Platform { get; init; }
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class PlatformEndpointRecord
{
    public required string Id { get; init; }
    public required string ApplicationArn { get; init; }
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);
}

[JsonSerializable(typeof(TopicRecord))]
[JsonSerializable(typeof(SandboxNumber))]
[JsonSerializable(typeof(SmsOptOut))]
[JsonSerializable(typeof(SubscriptionRecord))]
[JsonSerializable(typeof(PendingHttpDelivery))]
[JsonSerializable(typeof(RecordedMessage))]
[JsonSerializable(typeof(TopicDeduplicationRecord))]
[JsonSerializable(typeof(SigningKeyRecord))]
[JsonSerializable(typeof(PlatformApplicationRecord))]
[JsonSerializable(typeof(PlatformEndpointRecord))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SnsJsonContext : JsonSerializerContext;
