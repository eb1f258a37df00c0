using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>KMS's tag list shape: [{TagKey, TagValue}].</summary>
internal static class KmsTags
{
    public static Dictionary<string, string> Read(Dictionary<string, object?> input)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in input.GetList("Tags")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var key = tag.GetString("TagKey") ?? "";
            if (key.Length is 0 or > 128) throw new AwsException("TagException", "Tag keys must be 1-128 characters long.");
            if (key.StartsWith("aws:", StringComparison.Ordinal)) throw new AwsException("TagException", "Tags beginning with aws: are reserved.");
            tags[key] = tag.GetString("TagValue") ?? "";
        }
        return tags;
    }

    public static List<object?> Write(IEnumerable<KeyValuePair<string, string>> tags) =>
        tags.Select(t => (object?)new Dictionary<string, object?> { ["TagKey"] = t.Key, ["TagValue"] = t.Value }).ToList();
}
