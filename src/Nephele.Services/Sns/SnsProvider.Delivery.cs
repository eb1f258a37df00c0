using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

public sealed partial class SnsProvider
{
    /// <summary>One subscription's share of a publish.</summary>
    private sealed record SubscriberDelivery(TopicRef Topic, SubscriptionRecord Subscription, PublishRequest Request, string? DeduplicationId,
        string UnsubscribeUrl, DateTimeOffset Now);

    /// <summary>
    /// SQS: the envelope, or with RawMessageDelivery the bare message with its attributes as SQS message attributes.
    /// A queue that refuses it (gone, wrong type, too large) sends it to the subscription's dead-letter queue.
    /// </summary>
    private void DeliverToQueue(SubscriberDelivery d, Notification? envelope)
    {
        var raw = envelope is null;
        var delivery = new Delivery
        {
            TargetArn = d.Subscription.Endpoint,
            Body = raw ? d.Request.MessageFor("sqs") : SnsEnvelope.Notification(envelope!, d.UnsubscribeUrl),
            Attributes = raw ? [.. d.Request.Attributes.Select(a => new DeliveryAttribute(a.Name, a.DataType, a.StringValue, a.BinaryValue))] : [],
            SourceArn = d.Topic.Arn,
            MessageGroupId = d.Request.MessageGroupId,
            MessageDeduplicationId = d.DeduplicationId,
        };
        var result = _env.Events.Deliver(delivery);
        if (result is { Succeeded: true }) return;
        LogDeliveryFailed(_log, d.Subscription.Arn, result?.Reason ?? "no service handles this endpoint");
        DeadLetter(d.Subscription, delivery);
    }

    /// <summary>Lambda and Firehose: through the event bus to whichever service registered for the endpoint's ARN.</summary>
    private void DeliverThroughBus(SubscriberDelivery d, string body)
    {
        var delivery = new Delivery { TargetArn = d.Subscription.Endpoint, Body = body, SourceArn = d.Topic.Arn, MessageGroupId = d.Request.MessageGroupId };
        var result = _env.Events.Deliver(delivery);
        // No provider for this kind of endpoint yet (Lambda before it exists): nothing can run it.
        if (result is null)
        {
            LogNoTarget(_log, d.Subscription.Arn, d.Subscription.Protocol);
            return;
        }
        if (result.Value.Succeeded) return;
        LogDeliveryFailed(_log, d.Subscription.Arn, result.Value.Reason ?? "");
        DeadLetter(d.Subscription, delivery);
    }

    private void DeadLetter(SubscriptionRecord subscription, Delivery failed)
    {
        if (SubscriptionAttributes.DeadLetterTarget(subscription) is not { } dlq) return;
        var result = _env.Events.Deliver(new Delivery
        {
            TargetArn = dlq,
            Body = failed.Body,
            Attributes = failed.Attributes,
            SourceArn = subscription.Arn,
            MessageGroupId = failed.MessageGroupId,
            MessageDeduplicationId = failed.MessageDeduplicationId,
        });
        if (result is not { Succeeded: true }) LogDeliveryFailed(_log, subscription.Arn, $"dead-letter queue {dlq}: {result?.Reason}");
    }

    private void QueueHttpNotification(SubscriberDelivery d, Notification? envelope, string messageId)
    {
        var s = d.Subscription;
        var raw = envelope is null;
        var headers = HttpHeaders("Notification", messageId, d.Topic.Arn);
        headers["x-amz-sns-subscription-arn"] = s.Arn;
        if (raw) headers["x-amz-sns-rawdelivery"] = "true";
        _http.Enqueue(d.Topic.Scope, new PendingHttpDelivery
        {
            Id = Guid.NewGuid().ToString(),
            SubscriptionArn = s.Arn,
            Endpoint = s.Endpoint,
            Body = raw ? d.Request.MessageFor(s.Protocol) : SnsEnvelope.Notification(envelope!, d.UnsubscribeUrl),
            Headers = headers,
            DueMillis = d.Now.ToUnixTimeMilliseconds(),
            Retry = DeliveryPolicies.For(d.Topic.Topic.Attributes.GetValueOrDefault("DeliveryPolicy"), s.Attributes.GetValueOrDefault("DeliveryPolicy")),
            DeadLetterTargetArn = SubscriptionAttributes.DeadLetterTarget(s),
            IsNotification = true,
        });
    }

    private static Dictionary<string, string> HttpHeaders(string type, string messageId, string topicArn) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["x-amz-sns-message-type"] = type,
        ["x-amz-sns-message-id"] = messageId,
        ["x-amz-sns-topic-arn"] = topicArn,
        ["Content-Type"] = "text/plain; charset=UTF-8",
        ["User-Agent"] = "Amazon Simple Notification Service Agent",
    };

    /// <summary>
    /// The confirmation handshake: HTTP/HTTPS endpoints get a SubscriptionConfirmation POST whose SubscribeURL
    /// calls ConfirmSubscription on this Nephele; email endpoints get it recorded as the email they would receive.
    /// </summary>
    private void SendConfirmation(RequestContext ctx, TopicRef topic, SubscriptionRecord s, string baseUrl)
    {
        var messageId = Guid.NewGuid().ToString();
        var timestamp = Iso(ctx.Now);
        var subscribeUrl = $"{baseUrl}/?Action=ConfirmSubscription&TopicArn={Uri.EscapeDataString(topic.Arn)}&Token={s.Token}";
        var message = $"You have chosen to subscribe to the topic {topic.Arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.";
        var version = topic.Topic.Attributes.GetValueOrDefault("SignatureVersion") ?? "1";
        var signature = _signer.Sign(SnsEnvelope.ConfirmationSigningFields("SubscriptionConfirmation", message, messageId, subscribeUrl, timestamp, s.Token!, topic.Arn), version);
        var body = SnsEnvelope.Confirmation("SubscriptionConfirmation", messageId, s.Token!, topic.Arn, message, subscribeUrl, timestamp, version, signature,
            _signer.CertificateUrl(baseUrl));
        if (s.Protocol is "http" or "https")
        {
            _http.Enqueue(topic.Scope, new PendingHttpDelivery
            {
                Id = Guid.NewGuid().ToString(),
                SubscriptionArn = s.Arn,
                Endpoint = s.Endpoint,
                Body = body,
                Headers = HttpHeaders("SubscriptionConfirmation", messageId, topic.Arn),
                DueMillis = ctx.Now.ToUnixTimeMilliseconds(),
                Retry = DeliveryPolicies.For(topic.Topic.Attributes.GetValueOrDefault("DeliveryPolicy"), s.Attributes.GetValueOrDefault("DeliveryPolicy")),
            });
        }
        else
        {
            Record(topic.Scope, s, messageId, s.Protocol == "email-json" ? body : $"{message}\n{subscribeUrl}", "AWS Notification - Subscription Confirmation", timestamp);
        }
    }

    /// <summary>Keeps a message "sent" to an email address, phone or platform endpoint for the internal endpoints.</summary>
    private void Record(Scope scope, SubscriptionRecord s, string messageId, string message, string? subject, string timestamp) =>
        RecordMessage(scope, new RecordedMessage
        {
            MessageId = messageId,
            Protocol = s.Protocol,
            Endpoint = s.Endpoint,
            Message = message,
            Subject = subject,
            TopicArn = s.TopicArn,
            SubscriptionArn = s.Arn,
            Timestamp = timestamp,
        });

    private void RecordMessage(Scope scope, RecordedMessage message) =>
        _recorded.Put(scope, $"{message.Protocol}/{message.Timestamp}-{message.MessageId}", message, SnsJsonContext.Default.RecordedMessage);

    private string PublishToPhone(RequestContext ctx, string phone, PublishRequest request)
    {
        if (!IsPhoneNumber(phone)) throw SnsErrors.InvalidParameter($"Invalid parameter: PhoneNumber Reason: {phone} is not valid to publish to");
        var messageId = Guid.NewGuid().ToString();
        // AWS accepts the publish and drops the SMS (its delivery status says the number is opted out).
        if (IsOptedOut(ctx.Scope, phone))
        {
            LogOptedOut(_log, phone);
            return messageId;
        }
        RecordMessage(ctx.Scope, new RecordedMessage
        {
            MessageId = messageId,
            Protocol = "sms",
            Endpoint = phone,
            Message = request.MessageFor("sms"),
            Subject = request.Subject,
            MessageAttributes = request.Attributes.Where(a => a.StringValue is not null).ToDictionary(a => a.Name, a => a.StringValue!),
            Timestamp = Iso(ctx.Now),
        });
        return messageId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS could not deliver to subscription {SubscriptionArn}: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string subscriptionArn, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS subscription {SubscriptionArn}: no {Protocol} service is available yet; the message was not delivered")]
    private static partial void LogNoTarget(ILogger logger, string subscriptionArn, string protocol);
}
