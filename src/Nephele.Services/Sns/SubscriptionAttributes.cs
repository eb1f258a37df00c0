using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Services.Sns;

/// <summary>The attributes a subscription can carry, validated as AWS does.</summary>
internal static class SubscriptionAttributes
{
    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
    {
        "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
    };

    /// <summary>The protocols that can take a message without the SNS envelope.</summary>
    private static readonly HashSet<string> RawCapable = new(StringComparer.Ordinal) { "http", "https", "sqs", "firehose" };

    /// <summary>
    /// Checks one attribute and returns the value to store. On Subscribe AWS prefixes reasons with "Attributes Reason:";
    /// <paramref name="filterScope"/> is the scope the filter policy will be read in.
    /// </summary>
    public static string Validate(string name, string? value, string protocol, string filterScope, bool subscribing)
    {
        var prefix = subscribing ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
        if (!Settable.Contains(name)) throw SnsErrors.InvalidParameter("Invalid parameter: AttributeName");
        value ??= "";
        switch (name)
        {
            case "RawMessageDelivery":
                if (!bool.TryParse(value, out var raw))
                    throw SnsErrors.InvalidParameter($"{prefix}RawMessageDelivery: Invalid value [{value}]. Must be true or false.");
                if (!RawCapable.Contains(protocol))
                    throw SnsErrors.InvalidParameter($"{prefix}Delivery protocol [{protocol}] does not support raw message delivery.");
                return raw ? "true" : "false";
            case "FilterPolicyScope" when value is not ("MessageAttributes" or "MessageBody"):
                throw SnsErrors.InvalidParameter($"{prefix}FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes");
            case "FilterPolicy" when value.Length > 0:
                FilterPolicy.Validate(value, filterScope, prefix);
                break;
            case "RedrivePolicy" when value.Length > 0:
                ValidateRedrive(value, prefix);
                break;
            case "DeliveryPolicy" when value.Length > 0:
                DeliveryPolicies.Validate(value, "DeliveryPolicy");
                break;
        }
        return value;
    }

    private static void ValidateRedrive(string value, string prefix)
    {
        JsonObject? policy;
        try
        {
            policy = JsonNode.Parse(value) as JsonObject;
        }
        catch (JsonException)
        {
            policy = null;
        }
        if (policy is null) throw SnsErrors.InvalidParameter($"{prefix}RedrivePolicy: failed to parse JSON.");
        var target = policy["deadLetterTargetArn"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (target is null) throw SnsErrors.InvalidParameter($"{prefix}RedrivePolicy: deadLetterTargetArn is missing");
        var parts = target.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "sqs")
            throw SnsErrors.InvalidParameter($"{prefix}RedrivePolicy: Invalid deadLetterTargetArn: {target}");
    }

    /// <summary>The dead-letter queue ARN of a subscription's RedrivePolicy, if any.</summary>
    public static string? DeadLetterTarget(SubscriptionRecord subscription) =>
        subscription.Attributes.GetValueOrDefault("RedrivePolicy") is { Length: > 0 } policy
        && JsonNode.Parse(policy)?["deadLetterTargetArn"] is JsonValue v && v.TryGetValue<string>(out var arn) ? arn : null;
}
