using Nephele.Core.Events;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Topics as a delivery target of other services (S3 event notifications; a Lambda function's on-success/on-failure
/// destination or dead-letter topic), addressed by topic ARN through the event bus: the body is published to the
/// topic as its message, fanned out like a Publish inside one transaction, with the subject those services use.
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
        var input = new Dictionary<string, object?>
        {
            ["Message"] = delivery.Body,
            ["Subject"] = SubjectFor(delivery.SourceArn),
            ["MessageGroupId"] = delivery.MessageGroupId,
            ["MessageDeduplicationId"] = delivery.MessageDeduplicationId,
        };
        if (delivery.Attributes.Count > 0)
        {
            input["MessageAttributes"] = delivery.Attributes.ToDictionary(a => a.Name, a => (object?)new Dictionary<string, object?>
            {
                ["DataType"] = a.DataType,
                ["StringValue"] = a.StringValue,
                ["BinaryValue"] = a.BinaryValue,
            });
        }
        PublishRequest request;
        try
        {
            request = PublishValidation.Parse(input, endpointPublish: false);
            CheckFifo(topic, request);
        }
        catch (AwsException e)
        {
            return new(DeliveryOutcome.Rejected, e.Message);
        }
        var baseUrl = _env.Address.Endpoint ?? $"http://localhost:{_env.Options.Port}";
        var prepared = Prepare(_env.Clock.GetUtcNow(), topic, request);
        var (_, _, http) = _state.Transaction(() => Fanout(topic, request, prepared, baseUrl));
        if (http) _http.Kick();
        return DeliveryResult.Delivered;
    }

    /// <summary>The Subject AWS services put on what they publish (S3: "Amazon S3 Notification").</summary>
    private static string? SubjectFor(string? sourceArn) =>
        sourceArn?.StartsWith("arn:aws:s3:", StringComparison.Ordinal) == true ? "Amazon S3 Notification" : null;
}
