using System.Collections.Concurrent;
using System.Text.Json;

namespace Nephele.Services.Sns;

/// <summary>
/// A subscription filter policy, compiled once per (scope, text) and cached. A policy is a set of alternatives
/// ($or expands into several); each maps a key (an attribute name, or a dotted path into a JSON body) to a list of
/// conditions, of which one must match. Body values inside arrays each count, as in AWS.
/// </summary>
internal sealed class FilterPolicy
{
    private const int MaxKeys = 5;
    private const int MaxCombinations = 150;
    private static readonly ConcurrentDictionary<(string Scope, string Text), FilterPolicy> Compiled = new();

    private readonly List<Dictionary<string, JsonElement[]>> _alternatives;
    private readonly bool _bodyScope;

    private FilterPolicy(List<Dictionary<string, JsonElement[]>> alternatives, bool bodyScope) =>
        (_alternatives, _bodyScope) = (alternatives, bodyScope);

    /// <summary>Throws AWS's InvalidParameter error for a policy it would refuse; <paramref name="prefix"/> starts the message.</summary>
    public static void Validate(string text, string scope, string prefix)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: failed to parse JSON. {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Filter policy must be a JSON object");
        if (root.EnumerateObject().Count() > MaxKeys)
            throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Filter policy can not have more than {MaxKeys} keys");
        var alternatives = Flatten(root, scope == "MessageBody", prefix);
        var combinations = alternatives.Sum(a => a.Values.Aggregate(1L, (product, conditions) => product * conditions.Length));
        if (combinations > MaxCombinations) throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Filter policy is too complex");
        foreach (var condition in alternatives.SelectMany(a => a.Values).SelectMany(c => c))
            ValidateCondition(condition, prefix);
    }

    /// <summary>The compiled policy; the text was validated when it was stored.</summary>
    public static FilterPolicy Get(string text, string scope) => Compiled.GetOrAdd((scope, text), static key =>
    {
        using var doc = JsonDocument.Parse(key.Text);
        return new FilterPolicy(Flatten(doc.RootElement.Clone(), key.Scope == "MessageBody", ""), key.Scope == "MessageBody");
    });

    /// <summary>Whether a message passes: by its attributes, or by its body (which must then be a JSON object).</summary>
    public bool Matches(IReadOnlyList<PublishAttribute> attributes, string body)
    {
        Dictionary<string, List<JsonElement>> values;
        if (_bodyScope)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
                values = new(StringComparer.Ordinal);
                CollectBody(doc.RootElement.Clone(), null, values);
            }
            catch (JsonException)
            {
                return false;
            }
        }
        else
        {
            values = AttributeValues(attributes);
        }
        return _alternatives.Any(alternative => alternative.All(rule =>
        {
            var found = values.TryGetValue(rule.Key, out var list) && list.Count > 0;
            return rule.Value.Any(condition => FilterConditions.Matches(condition, found, found ? list! : []));
        }));
    }

    /// <summary>Attribute values as JSON values: a Number as a number, a String.Array as its elements, Binary never matches.</summary>
    private static Dictionary<string, List<JsonElement>> AttributeValues(IReadOnlyList<PublishAttribute> attributes)
    {
        var values = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var a in attributes)
        {
            var list = new List<JsonElement>();
            if (a.DataType.StartsWith("Number", StringComparison.Ordinal))
            {
                if (double.TryParse(a.StringValue, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                    list.Add(JsonSerializer.SerializeToElement(n, SnsFilterJsonContext.Default.Double));
            }
            else if (a.DataType == "String.Array")
            {
                try
                {
                    using var doc = JsonDocument.Parse(a.StringValue ?? "");
                    if (doc.RootElement.ValueKind == JsonValueKind.Array)
                        list.AddRange(doc.RootElement.Clone().EnumerateArray());
                }
                catch (JsonException)
                {
                    // An unparsable array matches nothing but still exists.
                }
            }
            else if (a.DataType.StartsWith("String", StringComparison.Ordinal))
            {
                list.Add(JsonSerializer.SerializeToElement(a.StringValue ?? "", SnsFilterJsonContext.Default.String));
            }
            // Present even when nothing can match its value, for "exists".
            values[a.Name] = list.Count > 0 ? list : [default];
        }
        return values;
    }

    private static void CollectBody(JsonElement element, string? path, Dictionary<string, List<JsonElement>> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) CollectBody(p.Value, path is null ? p.Name : $"{path}.{p.Name}", values);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CollectBody(item, path, values);
                break;
            default:
                if (path is null) return;
                if (!values.TryGetValue(path, out var list)) values[path] = list = [];
                list.Add(element);
                break;
        }
    }

    /// <summary>The policy as alternatives of key -> conditions, with nested keys (body scope) joined by dots.</summary>
    private static List<Dictionary<string, JsonElement[]>> Flatten(JsonElement policy, bool body, string prefix)
    {
        List<Dictionary<string, JsonElement[]>> alternatives = [new(StringComparer.Ordinal)];
        Walk(policy, null, 1);
        return alternatives;

        void Walk(JsonElement node, string? parent, int depth)
        {
            foreach (var property in node.EnumerateObject())
            {
                var value = property.Value;
                if (property.Name == "$or" && value.ValueKind == JsonValueKind.Array)
                {
                    var choices = value.EnumerateArray().ToList();
                    if (choices.Count == 0) throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Empty arrays are not allowed");
                    if (choices.Any(c => c.ValueKind != JsonValueKind.Object))
                        throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: \"$or\" must be an array of objects");
                    var before = alternatives;
                    var expanded = new List<Dictionary<string, JsonElement[]>>();
                    foreach (var choice in choices)
                    {
                        alternatives = [.. before.Select(a => new Dictionary<string, JsonElement[]>(a, StringComparer.Ordinal))];
                        Walk(choice, parent, depth);
                        expanded.AddRange(alternatives);
                    }
                    alternatives = expanded;
                    continue;
                }
                var key = parent is null ? property.Name : $"{parent}.{property.Name}";
                switch (value.ValueKind)
                {
                    case JsonValueKind.Object:
                        if (!body)
                            throw SnsErrors.InvalidParameter($"{prefix}Filter policy scope MessageAttributes does not support nested filter policy");
                        Walk(value, key, depth + 1);
                        break;
                    case JsonValueKind.Array:
                        var conditions = value.EnumerateArray().ToArray();
                        if (conditions.Length == 0) throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Empty arrays are not allowed");
                        foreach (var a in alternatives) a[key] = conditions;
                        break;
                    default:
                        throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: \"{property.Name}\" must be an object or an array");
                }
            }
        }
    }

    private static void ValidateCondition(JsonElement condition, string prefix)
    {
        switch (condition.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                return;
            case JsonValueKind.Object:
                FilterConditions.ValidateOperator(condition, prefix);
                return;
            default:
                throw SnsErrors.InvalidParameter($"{prefix}FilterPolicy: Match value must be String, number, true, false, or null");
        }
    }
}

/// <summary>A message attribute as published, in the shape filter policies and deliveries read.</summary>
internal sealed record PublishAttribute(string Name, string DataType, string? StringValue, byte[]? BinaryValue);

[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SnsFilterJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
