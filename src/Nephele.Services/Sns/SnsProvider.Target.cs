using Nephele.Core.Events;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Messages other services publish to a topic (S3 event notifications), addressed by topic ARN through the event
/// bus. They fan out exactly like a Publish, inside one transaction, with the subject those services use.
/// </summary>
public sealed partial class SnsProvider : IDeliveryTarget
{
    public DeliveryResult Deliver(Delivery delivery)
    {
        if (!TryParseArn(delivery.TargetArn, out var scope, out var name, out var subscriptionId) || subscriptionId is not null)
            return new(DeliveryOutcome.TargetNotFound, $"Not a topic ARN: {delivery.TargetArn}");
        if (_topics.Get(scope, name, SnsJsonContext.Default.TopicRecord) is not { } record)
            return new(DeliveryOutcome.TargetNotFound, $"Topic {delivery.TargetArn} does not exist.");
        var topic = new TopicRef(scope, record);
        PublishRequest request;
        try
        {
            request = PublishValidation.Parse(new Dictionary<string, object?>
            {
                ["Message"] = delivery.Body,
                ["Subject"] = SubjectFor(delivery.SourceArn),
                ["MessageGroupId"] = delivery.MessageGroupId,
                ["MessageDeduplicationId"] = delivery.MessageDeduplicationId,
            }, endpointPublish: false);
            CheckFifo(topic, request);
        }
        catch (AwsException e)
        {
            return new(DeliveryOutcome.Rejected, e.Message);
        }
        var prepared = Prepare(_env.Clock.GetUtcNow(), topic, request);
        var (_, _, http) = _state.Transaction(() => Fanout(topic, request, prepared, $"http://localhost:{_env.Options.Port}"));
        if (http) _http.Kick();
        return DeliveryResult.Delivered;
    }

    /// <summary>The Subject AWS services put on what they publish (S3: "Amazon S3 Notification").</summary>
    private static string? SubjectFor(string? sourceArn) =>
        sourceArn?.StartsWith("arn:aws:s3:", StringComparison.Ordinal) == true ? "Amazon S3 Notification" : null;
}
