using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Sns;

/// <summary>
/// For --enforce-iam: the topic each SNS request acts on (arn:aws:sns:region:account:topic) and its condition keys.
/// Actions are sns:&lt;Operation&gt;; subscription requests act on the subscription's topic; requests about no topic
/// (ListTopics, platform applications) are authorized against "*".
/// </summary>
internal static class SnsAuthorization
{
    /// <summary>The topic ARN a request acts on, or null.</summary>
    public static string? TopicOf(string operation, Dictionary<string, object?> input, string region, string account)
    {
        if (operation == "CreateTopic" && input.GetString("Name") is { Length: > 0 } name) return $"arn:aws:sns:{region}:{account}:{name}";
        var arn = input.GetString("TopicArn") ?? input.GetString("ResourceArn") ?? input.GetString("SubscriptionArn")
            ?? (operation == "Publish" ? input.GetString("TargetArn") : null);
        if (arn is null || !arn.StartsWith("arn:aws:sns:", StringComparison.Ordinal)) return null;
        var parts = arn.Split(':');
        // A subscription ARN is its topic's ARN plus the subscription id.
        return parts.Length == 7 ? string.Join(':', parts[..6]) : parts.Length == 6 ? arn : null;
    }

    public static ConditionKeys KeysOf(Dictionary<string, object?> input) => new ConditionKeys()
        .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("Tags")))
        .TagKeys((input.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList())
        .Add("sns:Protocol", input.GetString("Protocol"))
        .Add("sns:Endpoint", input.GetString("Endpoint"));
}
