using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

/// <summary>SSM's tag list shape: [{Key, Value}].</summary>
internal static class Tags
{
    public static Dictionary<string, string> Read(Dictionary<string, object?> input)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in input.GetList("Tags")?.OfType<Dictionary<string, object?>>() ?? [])
            tags[tag.GetString("Key") ?? ""] = tag.GetString("Value") ?? "";
        return tags;
    }

    public static List<object?> Write(Dictionary<string, string> tags) =>
        tags.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value }).ToList();
}
