using System.Text.Json;
using System.Text.Json.Nodes;
using Nephele.Core.Protocols;

namespace Nephele.Services.Sns;

/// <summary>The attributes of a topic: which can be set, their validation, and the ones AWS derives.</summary>
internal static class TopicAttributes
{
    private static readonly string[] FeedbackProtocols = ["HTTP", "Firehose", "Lambda", "SQS", "Application"];

    private static readonly HashSet<string> Settable = new(
        new[]
        {
            "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion",
            "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy", "FifoThroughputScope",
        }.Concat(FeedbackProtocols.SelectMany(p => new[] { $"{p}SuccessFeedbackRoleArn", $"{p}SuccessFeedbackSampleRate", $"{p}FailureFeedbackRoleArn" })),
        StringComparer.Ordinal);

    /// <summary>The delivery policy every topic has unless its DeliveryPolicy says otherwise (AWS's HTTP defaults).</summary>
    public const string DefaultEffectiveDeliveryPolicy =
        """{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}""";

    public static string DefaultPolicy(string topicArn, string account) =>
        "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],"
        + $"\"Resource\":\"{topicArn}\",\"Condition\":{{\"StringEquals\":{{\"AWS:SourceOwner\":\"{account}\"}}}}}}]}}";

    /// <summary>Checks one attribute as AWS does; <paramref name="creating"/> allows FifoTopic, which only CreateTopic sets.</summary>
    public static void Validate(string name, string? value, bool fifo, bool creating)
    {
        if (!Settable.Contains(name) || (name == "FifoTopic" && !creating))
            throw SnsErrors.InvalidParameter("Invalid parameter: AttributeName");
        value ??= "";
        switch (name)
        {
            case "FifoTopic" when value is not ("true" or "false"):
                throw SnsErrors.InvalidParameter("Invalid parameter: FifoTopic Reason: Invalid value for FifoTopic Attribute");
            case "ContentBasedDeduplication" when value is not ("true" or "false"):
                throw SnsErrors.InvalidParameter("Invalid parameter: ContentBasedDeduplication Reason: Invalid value for ContentBasedDeduplication Attribute");
            case "ContentBasedDeduplication" when !fifo && value == "true":
                throw SnsErrors.InvalidParameter("Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics");
            case "FifoThroughputScope" when !fifo:
                throw SnsErrors.InvalidParameter("Invalid parameter: FifoThroughputScope Reason: FifoThroughputScope can only be set for FIFO topics");
            case "FifoThroughputScope" when value is not ("Topic" or "MessageGroup"):
                throw SnsErrors.InvalidParameter("Invalid parameter: FifoThroughputScope Reason: Invalid value for FifoThroughputScope Attribute. Valid values are Topic and MessageGroup");
            case "SignatureVersion" when value is not ("1" or "2"):
                throw SnsErrors.InvalidParameter("Invalid parameter: SignatureVersion");
            case "TracingConfig" when value is not ("PassThrough" or "Active"):
                throw SnsErrors.InvalidParameter("Invalid parameter: TracingConfig");
            case "Policy" when !IsJsonObject(value):
                throw SnsErrors.InvalidParameter("Invalid parameter: Policy Error: null");
            case "DeliveryPolicy":
                DeliveryPolicies.Validate(value, "DeliveryPolicy");
                break;
            case "ArchivePolicy" when !fifo:
                throw SnsErrors.InvalidParameter("Invalid parameter: ArchivePolicy Reason: ArchivePolicy can only be set for FIFO topics");
        }
        if (name.EndsWith("SampleRate", StringComparison.Ordinal) && !(int.TryParse(value, out var rate) && rate is >= 0 and <= 100))
            throw SnsErrors.InvalidParameter($"Invalid parameter: {name}");
    }

    public static bool IsJsonObject(string value)
    {
        try
        {
            return JsonNode.Parse(value) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What GetTopicAttributes answers: the stored attributes plus the ones AWS derives.</summary>
    public static Dictionary<string, object?> Describe(TopicRecord topic, string arn, string account, int confirmed, int pending)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["TopicArn"] = arn,
            ["Owner"] = account,
            ["Policy"] = DefaultPolicy(arn, account),
            ["DisplayName"] = "",
            ["SubscriptionsConfirmed"] = confirmed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SubscriptionsPending"] = pending.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SubscriptionsDeleted"] = topic.SubscriptionsDeleted.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EffectiveDeliveryPolicy"] = DeliveryPolicies.Effective(topic.Attributes.GetValueOrDefault("DeliveryPolicy")),
        };
        if (topic.IsFifo) result["ContentBasedDeduplication"] = "false";
        foreach (var (name, value) in topic.Attributes)
            if (name != "FifoTopic" || value == "true") result[name] = value;
        return result;
    }
}
