namespace Nephele.Core.Policies;

/// <summary>
/// Builds the service-specific part of a request context (the condition keys a provider adds to its
/// <see cref="AuthorizationTarget"/>): tag keys and plain values, skipping what the request does not carry.
/// </summary>
public sealed class ConditionKeys
{
    private readonly Dictionary<string, IReadOnlyList<string>> _keys = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Build() => _keys.Count == 0 ? null : _keys;

    /// <summary>Sets a key when the value is present.</summary>
    public ConditionKeys Add(string key, string? value)
    {
        if (value is not null) _keys[key] = [value];
        return this;
    }

    /// <summary>Sets a multivalued key when it has values.</summary>
    public ConditionKeys Add(string key, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 }) _keys[key] = values;
        return this;
    }

    /// <summary>aws:ResourceTag/&lt;key&gt; for each tag the resource carries.</summary>
    public ConditionKeys ResourceTags(IEnumerable<KeyValuePair<string, string>>? tags) => Prefixed("aws:ResourceTag/", tags);

    /// <summary>aws:RequestTag/&lt;key&gt; for each tag the request sets, and aws:TagKeys listing their keys.</summary>
    public ConditionKeys RequestTags(IEnumerable<KeyValuePair<string, string>>? tags)
    {
        if (tags is null) return this;
        var keys = new List<string>();
        foreach (var (key, value) in tags)
        {
            _keys["aws:RequestTag/" + key] = [value];
            keys.Add(key);
        }
        return Add("aws:TagKeys", keys);
    }

    /// <summary>aws:TagKeys alone, for requests that name tag keys without values (UntagResource).</summary>
    public ConditionKeys TagKeys(IReadOnlyList<string>? keys) => Add("aws:TagKeys", keys);

    /// <summary>The tags of a request member in either of AWS's shapes: a list of {Key, Value} (tagKey/tagValue in some
    /// services) or a map of key to value; null when absent.</summary>
    public static List<KeyValuePair<string, string>>? TagsOf(object? member) => member switch
    {
        List<object?> list => list.OfType<Dictionary<string, object?>>()
            .Select(t => KeyValuePair.Create(Text(t, "Key", "key", "TagKey", "tagKey"), Text(t, "Value", "value", "TagValue", "tagValue"))).ToList(),
        Dictionary<string, object?> map => map.Select(p => KeyValuePair.Create(p.Key, p.Value as string ?? "")).ToList(),
        _ => null,
    };

    private static string Text(Dictionary<string, object?> map, params string[] names)
    {
        foreach (var name in names)
            if (map.GetValueOrDefault(name) is string value) return value;
        return "";
    }

    /// <summary>&lt;prefix&gt;&lt;key&gt; for each pair (s3:ExistingObjectTag/, kms:EncryptionContext: ...).</summary>
    public ConditionKeys Prefixed(string prefix, IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        foreach (var (key, value) in pairs ?? []) _keys[prefix + key] = [value];
        return this;
    }
}
