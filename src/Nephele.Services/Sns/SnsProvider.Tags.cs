using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

public sealed partial class SnsProvider
{
    private const int MaxTags = 50;

    private static AwsException TagLimitExceeded() =>
        new("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");

    /// <summary>Tags of a request as a map, validated as AWS does (key 1-128, value at most 256 characters).</summary>
    private static Dictionary<string, string> ParseTags(Dictionary<string, object?> input)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in input.GetList("Tags")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var key = tag.GetString("Key") ?? "";
            var value = tag.GetString("Value") ?? "";
            if (key.Length is 0 or > 128) throw SnsErrors.InvalidParameter("Invalid parameter: Tags Reason: Tag key must be between 1 and 128 characters");
            if (value.Length > 256) throw SnsErrors.InvalidParameter("Invalid parameter: Tags Reason: Tag value must be at most 256 characters");
            tags[key] = value;
        }
        return tags;
    }

    private TopicRef TaggedTopic(Dictionary<string, object?> input)
    {
        if (!TryParseArn(input.GetString("ResourceArn"), out var scope, out var name, out var sub) || sub is not null)
            throw SnsErrors.ResourceNotFound();
        var topic = _topics.Get(scope, name, SnsJsonContext.Default.TopicRecord) ?? throw SnsErrors.ResourceNotFound();
        return new TopicRef(scope, topic);
    }

    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tags = ParseTags(input);
        _state.Transaction(() =>
        {
            var topic = TaggedTopic(input);
            var merged = new Dictionary<string, string>(topic.Topic.Tags, StringComparer.Ordinal);
            foreach (var (key, value) in tags) merged[key] = value;
            if (merged.Count > MaxTags) throw TagLimitExceeded();
            topic.Topic.Tags = merged;
            SaveTopic(topic);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var keys = input.GetStrings("TagKeys");
        _state.Transaction(() =>
        {
            var topic = TaggedTopic(input);
            foreach (var key in keys) topic.Topic.Tags.Remove(key);
            SaveTopic(topic);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> ListTagsForResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = TaggedTopic(input);
        return new()
        {
            ["Tags"] = topic.Topic.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value }).ToList(),
        };
    }
}
