using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

/// <summary>One DescribeParameters / GetParametersByPath filter: a key, an option and the values any of which may match.</summary>
internal sealed class ParameterFilters
{
    private readonly string _key;
    private readonly string _option;
    private readonly IReadOnlyList<string> _values;

    private ParameterFilters(string key, string option, IReadOnlyList<string> values) => (_key, _option, _values) = (key, option, values);

    public static List<ParameterFilters> Read(Dictionary<string, object?> input, bool byPath)
    {
        var filters = new List<ParameterFilters>();
        // The legacy Filters member of DescribeParameters: Name, Type or KeyId, always Equals.
        foreach (var f in input.GetList("Filters")?.OfType<Dictionary<string, object?>>() ?? [])
            filters.Add(new(f.GetString("Key") ?? "", "Equals", f.GetStrings("Values")));
        foreach (var f in input.GetList("ParameterFilters")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var key = f.GetString("Key") ?? "";
            var option = f.GetString("Option") ?? (key == "Path" ? "OneLevel" : "Equals");
            if (byPath && key is "Name" or "Path")
                throw new AwsException("InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [Type, KeyId, Label, Tier, DataType, tag].");
            if (!IsKnownKey(key))
                throw new AwsException("InvalidFilterKey", $"The following filter key is not valid: {key}");
            if (option is not ("Equals" or "BeginsWith" or "Contains" or "Recursive" or "OneLevel"))
                throw new AwsException("InvalidFilterOption", $"The following filter option is not valid: {option}. Valid options include: [Recursive, OneLevel].");
            filters.Add(new(key, option, f.GetStrings("Values")));
        }
        return filters;
    }

    private static bool IsKnownKey(string key) =>
        key is "Name" or "Type" or "KeyId" or "Path" or "Tier" or "DataType" or "Label" || key.StartsWith("tag:", StringComparison.Ordinal);

    public bool Matches(ParameterRecord p)
    {
        var latest = p.Latest;
        return _key switch
        {
            "Name" => Any(p.Name) || _option == "Equals" && _values.Any(v => v.TrimStart('/') == p.Name.TrimStart('/')),
            "Type" => Any(latest.Type),
            "KeyId" => latest.KeyId is { } k && Any(k),
            "Tier" => Any(latest.Tier),
            "DataType" => Any(latest.DataType),
            "Label" => p.Versions.Any(v => v.Labels.Any(Any)),
            "Path" => _values.Any(path => UnderPath(p.Name, path)),
            _ when _key.StartsWith("tag:", StringComparison.Ordinal) => p.Tags.TryGetValue(_key[4..], out var tag) && (_values.Count == 0 || Any(tag)),
            _ => false,
        };
    }

    private bool UnderPath(string name, string path)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
        return _option == "Recursive" || !name.AsSpan(prefix.Length).Contains('/');
    }

    private bool Any(string actual) => _values.Any(v => _option switch
    {
        "BeginsWith" => actual.StartsWith(v, StringComparison.Ordinal),
        "Contains" => actual.Contains(v, StringComparison.Ordinal),
        _ => actual == v,
    });
}
