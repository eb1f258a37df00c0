using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>IAM's tag lists ([{Key, Value}]): keys are case-insensitive, at most 50 per entity.</summary>
internal static class IamTags
{
    public const int MaxTags = 50;

    public static List<TagRecord> Read(Dictionary<string, object?> input, string member = "Tags")
    {
        var tags = new List<TagRecord>();
        foreach (var tag in input.GetList(member)?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var key = tag.GetString("Key") ?? "";
            if (tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)))
                throw IamErrors.InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            tags.Add(new TagRecord(key, tag.GetString("Value") ?? ""));
        }
        return tags;
    }

    /// <summary>Adds or replaces tags (matching keys regardless of case); more than 50 in all is LimitExceeded.</summary>
    public static List<TagRecord> Merge(List<TagRecord> existing, List<TagRecord> added)
    {
        var merged = existing.Where(t => !added.Any(a => string.Equals(a.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(added).ToList();
        if (merged.Count > MaxTags)
            throw IamErrors.LimitExceeded("The number of tags has reached the maximum limit.");
        return merged;
    }

    public static List<TagRecord> Remove(List<TagRecord> existing, IReadOnlyList<string> keys) =>
        existing.Where(t => !keys.Any(k => string.Equals(k, t.Key, StringComparison.OrdinalIgnoreCase))).ToList();

    public static List<object?> Write(List<TagRecord> tags) =>
        tags.Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value }).ToList();

    /// <summary>Tags in Get* output: absent when there are none, as IAM omits the element.</summary>
    public static List<object?>? WriteOrNull(List<TagRecord> tags) => tags.Count == 0 ? null : Write(tags);
}
