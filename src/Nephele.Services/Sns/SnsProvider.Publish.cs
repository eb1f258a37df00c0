using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

public sealed partial class SnsProvider
{
    private const long DeduplicationWindowMillis = 5 * 60 * 1000;
    private long _sequence;

    private Dictionary<string, object?> Publish(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topicArn = input.GetString("TopicArn");
        var targetArn = input.GetString("TargetArn");
        var phone = input.GetString("PhoneNumber");
        var arn = string.IsNullOrEmpty(topicArn) ? targetArn : topicArn;
        if (string.IsNullOrEmpty(arn) && string.IsNullOrEmpty(phone))
            throw SnsErrors.InvalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        var endpointPublish = arn is not null && arn.Contains(":endpoint/", StringComparison.Ordinal);
        var request = PublishValidation.Parse(input, endpointPublish);

        if (string.IsNullOrEmpty(arn)) return new() { ["MessageId"] = PublishToPhone(ctx, phone!, request) };
        if (endpointPublish) return new() { ["MessageId"] = PublishToPlatformEndpoint(ctx, arn, request) };

        var topic = ResolvePublishTopic(arn, string.IsNullOrEmpty(topicArn) ? "TargetArn" : "TopicArn");
        CheckFifo(topic, request);
        var baseUrl = BaseUrl(ctx);
        var prepared = Prepare(ctx.Now, topic, request);
        var (messageId, sequence, http) = _state.Transaction(() => Fanout(topic, request, prepared, baseUrl));
        if (http) _http.Kick();
        var result = new Dictionary<string, object?> { ["MessageId"] = messageId };
        if (sequence is not null) result["SequenceNumber"] = sequence;
        return result;
    }

    private Dictionary<string, object?> PublishBatch(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = ResolvePublishTopic(input.GetString("TopicArn") is { Length: > 0 } arn ? arn : throw MissingTopicArn(), "TopicArn");
        var entries = input.GetList("PublishBatchRequestEntries")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (entries.Count == 0) throw new AwsException("EmptyBatchRequest", "The batch request doesn't contain any entries.");
        if (entries.Count > 10) throw new AwsException("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = entry.GetString("Id") ?? "";
            if (id.Length is 0 or > 80 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new AwsException("InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.");
            if (!ids.Add(id)) throw new AwsException("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
        }
        if (topic.Topic.IsFifo && entries.Any(e => string.IsNullOrEmpty(e.GetString("MessageGroupId"))))
            throw SnsErrors.InvalidParameter("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
        var total = entries.Sum(e => Encoding.UTF8.GetByteCount(e.GetString("Message") ?? ""));
        if (total > PublishValidation.MaxMessageBytes)
            throw new AwsException("BatchRequestTooLong", "The length of all the messages put together is more than the limit.");

        var successful = new List<object?>();
        var failed = new List<object?>();
        var accepted = new List<(string Id, PublishRequest Request)>();
        foreach (var entry in entries)
        {
            try
            {
                var request = PublishValidation.Parse(entry, endpointPublish: false);
                CheckFifo(topic, request);
                accepted.Add((entry.GetString("Id")!, request));
            }
            catch (AwsException e)
            {
                failed.Add(new Dictionary<string, object?> { ["Id"] = entry.GetString("Id"), ["Code"] = e.Code, ["Message"] = e.Message, ["SenderFault"] = e.SenderFault });
            }
        }
        var baseUrl = BaseUrl(ctx);
        var prepared = accepted.Select(a => Prepare(ctx.Now, topic, a.Request)).ToList();
        var anyHttp = _state.Transaction(() =>
        {
            var http = false;
            foreach (var ((id, request), ready) in accepted.Zip(prepared))
            {
                var (messageId, sequence, h) = Fanout(topic, request, ready, baseUrl);
                http |= h;
                var result = new Dictionary<string, object?> { ["Id"] = id, ["MessageId"] = messageId };
                if (sequence is not null) result["SequenceNumber"] = sequence;
                successful.Add(result);
            }
            return http;
        });
        if (anyHttp) _http.Kick();
        return new() { ["Successful"] = successful, ["Failed"] = failed };
    }

    private static void CheckFifo(TopicRef topic, PublishRequest request)
    {
        if (topic.Topic.IsFifo)
        {
            if (string.IsNullOrEmpty(request.MessageGroupId))
                throw SnsErrors.InvalidParameter("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
            if (string.IsNullOrEmpty(request.MessageDeduplicationId) && topic.Topic.Attributes.GetValueOrDefault("ContentBasedDeduplication") != "true")
                throw SnsErrors.InvalidParameter("Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
        else if (request.MessageDeduplicationId is not null)
        {
            throw SnsErrors.InvalidParameter("Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
        }
    }

    /// <summary>
    /// What a publish needs that is slow or read-only, done before the write transaction so the store's write lock
    /// is not held for it: the message id and time, the topic's subscriptions, and the RSA signatures (one per
    /// distinct message text; MessageStructure=json can give protocols their own).
    /// </summary>
    private sealed record PreparedPublish(string MessageId, DateTimeOffset Now, List<SubscriptionRecord> Subscriptions, Dictionary<string, string> Signatures);

    private PreparedPublish Prepare(DateTimeOffset now, TopicRef topic, PublishRequest request)
    {
        var messageId = Guid.NewGuid().ToString();
        var subscriptions = PublishSubscriptionsOf(topic).Where(s => !s.PendingConfirmation).ToList();
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (subscriptions.Any(s => !s.RawMessageDelivery || s.Protocol == "lambda"))
        {
            var version = topic.Topic.Attributes.GetValueOrDefault("SignatureVersion") ?? "1";
            foreach (var text in request.PerProtocol?.Values.Distinct() ?? [request.Message])
                signatures[text] = _signer.Sign(SnsEnvelope.NotificationSigningFields(text, messageId, request.Subject, Iso(now), topic.Arn), version);
        }
        return new PreparedPublish(messageId, now, subscriptions, signatures);
    }

    /// <summary>
    /// Hands one message to every confirmed subscription whose filter policy accepts it; runs inside the publish
    /// transaction, so the deliveries are stored together or not at all. Returns the message id, the FIFO sequence
    /// number, and whether HTTP deliveries were queued.
    /// </summary>
    private (string MessageId, string? Sequence, bool Http) Fanout(TopicRef topic, PublishRequest request, PreparedPublish prepared, string baseUrl)
    {
        var now = prepared.Now;
        if (topic.Topic.IsFifo)
        {
            var deduplicationId = request.MessageDeduplicationId
                ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Message)));
            var key = $"{topic.Name}/{deduplicationId}";
            var millis = now.ToUnixTimeMilliseconds();
            // Within five minutes the same deduplication id is accepted again but not delivered again.
            if (_deduplication.Get(topic.Scope, key, SnsJsonContext.Default.TopicDeduplicationRecord) is { } seen && seen.ExpiresMillis > millis)
                return (seen.MessageId, seen.SequenceNumber, false);
            var sequence = $"{millis:D15}{Interlocked.Increment(ref _sequence) % 100_000:D5}";
            _deduplication.Put(topic.Scope, key, new TopicDeduplicationRecord { MessageId = prepared.MessageId, SequenceNumber = sequence, ExpiresMillis = millis + DeduplicationWindowMillis },
                SnsJsonContext.Default.TopicDeduplicationRecord);
            return (prepared.MessageId, sequence, Deliver(topic, request, prepared, sequence, deduplicationId, baseUrl));
        }
        return (prepared.MessageId, null, Deliver(topic, request, prepared, null, null, baseUrl));
    }

    private bool Deliver(TopicRef topic, PublishRequest request, PreparedPublish prepared, string? sequence, string? deduplicationId, string baseUrl)
    {
        var (messageId, now) = (prepared.MessageId, prepared.Now);
        var http = false;
        var timestamp = Iso(now);
        var signatureVersion = topic.Topic.Attributes.GetValueOrDefault("SignatureVersion") ?? "1";
        // One envelope per distinct message text, signed in Prepare.
        var notifications = new Dictionary<string, Notification>(StringComparer.Ordinal);
        Notification NotificationFor(string protocol)
        {
            var message = request.MessageFor(protocol);
            if (notifications.TryGetValue(message, out var existing)) return existing;
            var signature = prepared.Signatures[message];
            return notifications[message] = new Notification
            {
                MessageId = messageId,
                TopicArn = topic.Arn,
                Subject = request.Subject,
                Message = message,
                Timestamp = timestamp,
                SequenceNumber = sequence,
                Attributes = request.Attributes,
                SignatureVersion = signatureVersion,
                Signature = signature,
                SigningCertUrl = _signer.CertificateUrl(baseUrl),
            };
        }

        foreach (var subscription in prepared.Subscriptions)
        {
            if (subscription.Attributes.GetValueOrDefault("FilterPolicy") is { Length: > 0 } policy
                && !FilterPolicy.Get(policy, subscription.Attributes.GetValueOrDefault("FilterPolicyScope") ?? "MessageAttributes")
                    .Matches(request.Attributes, request.MessageFor(subscription.Protocol)))
                continue;
            var unsubscribeUrl = $"{baseUrl}/?Action=Unsubscribe&SubscriptionArn={Uri.EscapeDataString(subscription.Arn)}";
            var delivery = new SubscriberDelivery(topic, subscription, request, deduplicationId, unsubscribeUrl, now);
            switch (subscription.Protocol)
            {
                case "sqs":
                    DeliverToQueue(delivery, subscription.RawMessageDelivery ? null : NotificationFor("sqs"));
                    break;
                case "lambda":
                    DeliverThroughBus(delivery, SnsEnvelope.LambdaEvent(NotificationFor("lambda"), subscription.Arn, unsubscribeUrl));
                    break;
                case "firehose":
                    DeliverThroughBus(delivery, subscription.RawMessageDelivery ? request.MessageFor("firehose") : SnsEnvelope.Notification(NotificationFor("firehose"), unsubscribeUrl));
                    break;
                case "http" or "https":
                    QueueHttpNotification(delivery, subscription.RawMessageDelivery ? null : NotificationFor(subscription.Protocol), messageId);
                    http = true;
                    break;
                case "email-json":
                    Record(topic.Scope, subscription, messageId, SnsEnvelope.Notification(NotificationFor("email-json"), unsubscribeUrl), request.Subject, timestamp);
                    break;
                case "sms" when IsOptedOut(topic.Scope, subscription.Endpoint):
                    LogOptedOut(_log, subscription.Endpoint);
                    break;
                default:
                    Record(topic.Scope, subscription, messageId, request.MessageFor(subscription.Protocol), request.Subject, timestamp);
                    break;
            }
        }
        return http;
    }
}
