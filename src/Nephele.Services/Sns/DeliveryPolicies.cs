using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Services.Sns;

/// <summary>
/// SNS delivery policies for HTTP/HTTPS endpoints: the topic's (under "http") and a subscription's own, which wins
/// unless the topic disables overrides. Retries follow AWS's four phases: immediate, minimum delay, backoff from
/// minDelayTarget to maxDelayTarget, then maximum delay.
/// </summary>
internal static class DeliveryPolicies
{
    private static readonly string[] Backoffs = ["linear", "arithmetic", "geometric", "exponential"];

    public static void Validate(string value, string attribute)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(value) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is null) throw SnsErrors.InvalidParameter($"Invalid parameter: {attribute}: failed to parse JSON.");
        var retry = (root["http"] as JsonObject)?["defaultHealthyRetryPolicy"] as JsonObject ?? root["healthyRetryPolicy"] as JsonObject;
        if (retry is null) return;
        var policy = Parse(retry);
        if (policy.NumRetries is < 0 or > 100)
            throw SnsErrors.InvalidParameter($"Invalid parameter: {attribute}: numRetries must be between 0 and 100.");
        if (policy.MinDelayTarget < 1 || policy.MaxDelayTarget > 3600 || policy.MinDelayTarget > policy.MaxDelayTarget)
            throw SnsErrors.InvalidParameter($"Invalid parameter: {attribute}: minDelayTarget must be at least 1 and at most maxDelayTarget, which must be at most 3600.");
        if (policy.NumNoDelayRetries + policy.NumMinDelayRetries + policy.NumMaxDelayRetries > policy.NumRetries)
            throw SnsErrors.InvalidParameter($"Invalid parameter: {attribute}: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries.");
        if (!Backoffs.Contains(policy.BackoffFunction))
            throw SnsErrors.InvalidParameter($"Invalid parameter: {attribute}: backoffFunction must be one of arithmetic, exponential, geometric, linear.");
    }

    /// <summary>The topic's EffectiveDeliveryPolicy: AWS's defaults with the topic's "http" settings laid over them.</summary>
    public static string Effective(string? topicPolicy)
    {
        var effective = JsonNode.Parse(TopicAttributes.DefaultEffectiveDeliveryPolicy)!.AsObject();
        if (topicPolicy is not null && JsonNode.Parse(topicPolicy) is JsonObject { } set && set["http"] is JsonObject http)
        {
            var target = effective["http"]!.AsObject();
            foreach (var (key, value) in http) target[key] = value?.DeepClone();
        }
        return effective.ToJsonString();
    }

    /// <summary>The retry policy for a subscription: its own healthyRetryPolicy unless the topic disables overrides.</summary>
    public static RetryPolicy For(string? topicPolicy, string? subscriptionPolicy)
    {
        var http = JsonNode.Parse(Effective(topicPolicy))!["http"]!.AsObject();
        var chosen = http["defaultHealthyRetryPolicy"] as JsonObject;
        if (http["disableSubscriptionOverrides"]?.GetValue<bool>() != true && subscriptionPolicy is not null
            && JsonNode.Parse(subscriptionPolicy) is JsonObject sub && sub["healthyRetryPolicy"] is JsonObject own)
            chosen = own;
        return chosen is null ? new RetryPolicy() : Parse(chosen);
    }

    /// <summary>How long to wait before retry number <paramref name="retry"/> (1-based).</summary>
    public static TimeSpan Delay(RetryPolicy p, int retry)
    {
        if (retry <= p.NumNoDelayRetries) return TimeSpan.Zero;
        if (retry <= p.NumNoDelayRetries + p.NumMinDelayRetries) return TimeSpan.FromSeconds(p.MinDelayTarget);
        var backoffRetries = p.NumRetries - p.NumNoDelayRetries - p.NumMinDelayRetries - p.NumMaxDelayRetries;
        var index = retry - p.NumNoDelayRetries - p.NumMinDelayRetries;
        if (index > backoffRetries || backoffRetries <= 0) return TimeSpan.FromSeconds(p.MaxDelayTarget);
        double fraction = (double)index / backoffRetries;
        var curve = p.BackoffFunction switch
        {
            "geometric" => fraction * fraction,
            "exponential" => (Math.Pow(2, fraction * 10) - 1) / (Math.Pow(2, 10) - 1),
            _ => fraction,
        };
        return TimeSpan.FromSeconds(Math.Round(p.MinDelayTarget + (p.MaxDelayTarget - p.MinDelayTarget) * curve));
    }

    private static RetryPolicy Parse(JsonObject o) => new()
    {
        NumRetries = Int(o, "numRetries", 3),
        NumNoDelayRetries = Int(o, "numNoDelayRetries", 0),
        NumMinDelayRetries = Int(o, "numMinDelayRetries", 0),
        NumMaxDelayRetries = Int(o, "numMaxDelayRetries", 0),
        MinDelayTarget = Int(o, "minDelayTarget", 20),
        MaxDelayTarget = Int(o, "maxDelayTarget", 20),
        BackoffFunction = o["backoffFunction"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "linear",
    };

    private static int Int(JsonObject o, string name, int fallback) =>
        o[name] is JsonValue v && (v.TryGetValue<int>(out var i) || (v.TryGetValue<double>(out var d) && (i = (int)d) == d)) ? i : fallback;
}
