using System.Text.Json;

namespace Nephele.Core.Policies;

/// <summary>The policy grammar: which elements exist and the JSON types they take. Anything else is a syntax error.</summary>
internal static class PolicyDocumentReader
{
    private static readonly HashSet<string> TopElements = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementElements = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    public static PolicyDocument Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw PolicyDocumentException.Syntax();
        string? version = null, id = null;
        List<PolicyStatement>? statements = null;
        foreach (var element in root.EnumerateObject())
        {
            switch (element.Name)
            {
                case "Version": version = Text(element.Value); break;
                case "Id": id = Text(element.Value); break;
                case "Statement": statements = Statements(element.Value); break;
                default: throw PolicyDocumentException.Syntax();
            }
        }
        if (statements is null || statements.Count == 0) throw PolicyDocumentException.Syntax();
        return new PolicyDocument { Version = version, Id = id, Statements = statements };
    }

    private static List<PolicyStatement> Statements(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => [Statement(value)],
        JsonValueKind.Array => value.EnumerateArray().Select(Statement).ToList(),
        _ => throw PolicyDocumentException.Syntax(),
    };

    private static PolicyStatement Statement(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw PolicyDocumentException.Syntax();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in value.EnumerateObject())
            if (!StatementElements.Contains(element.Name) || !seen.Add(element.Name)) throw PolicyDocumentException.Syntax();
        if (seen.Contains("Action") && seen.Contains("NotAction")) throw PolicyDocumentException.Syntax();
        if (seen.Contains("Resource") && seen.Contains("NotResource")) throw PolicyDocumentException.Syntax();
        if (seen.Contains("Principal") && seen.Contains("NotPrincipal")) throw PolicyDocumentException.Syntax();

        if (!value.TryGetProperty("Effect", out var effectElement) || effectElement.ValueKind != JsonValueKind.String)
            throw PolicyDocumentException.Syntax();
        var effectText = effectElement.GetString()!;
        var effect = effectText.ToLowerInvariant() switch
        {
            "allow" => PolicyEffect.Allow,
            "deny" => PolicyEffect.Deny,
            _ => throw PolicyDocumentException.Syntax(),
        };
        return new PolicyStatement
        {
            Sid = value.TryGetProperty("Sid", out var sid) ? Text(sid) : null,
            Effect = effect,
            EffectText = effectText,
            Principal = value.TryGetProperty("Principal", out var p) ? Principal(p) : null,
            NotPrincipal = value.TryGetProperty("NotPrincipal", out var np) ? Principal(np) : null,
            Action = StringOrList(value, "Action"),
            NotAction = StringOrList(value, "NotAction"),
            Resource = StringOrList(value, "Resource"),
            NotResource = StringOrList(value, "NotResource"),
            Condition = value.TryGetProperty("Condition", out var c) ? Condition(c)
                : new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(),
        };
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw PolicyDocumentException.Syntax();

    private static List<string>? StringOrList(JsonElement statement, string name)
    {
        if (!statement.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select(Text).ToList(),
            _ => throw PolicyDocumentException.Syntax(),
        };
    }

    private static PolicyPrincipal Principal(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString() == "*" ? new PolicyPrincipal { IsWildcard = true } : throw PolicyDocumentException.Syntax();
        if (value.ValueKind != JsonValueKind.Object) throw PolicyDocumentException.Syntax();
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var type in value.EnumerateObject())
        {
            values[type.Name] = type.Value.ValueKind switch
            {
                JsonValueKind.String => [type.Value.GetString()!],
                JsonValueKind.Array => type.Value.EnumerateArray().Select(Text).ToList(),
                _ => throw PolicyDocumentException.Syntax(),
            };
        }
        return new PolicyPrincipal { Values = values };
    }

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Condition(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw PolicyDocumentException.Syntax();
        var operators = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var op in value.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object) throw PolicyDocumentException.Syntax();
            var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var key in op.Value.EnumerateObject())
            {
                keys[key.Name] = key.Value.ValueKind == JsonValueKind.Array
                    ? key.Value.EnumerateArray().Select(ConditionValue).ToList()
                    : [ConditionValue(key.Value)];
            }
            if (keys.Count > 0 && !PolicyConditionOperators.IsKnown(op.Name)) throw PolicyDocumentException.Syntax();
            operators[op.Name] = keys;
        }
        return operators;
    }

    private static string ConditionValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw PolicyDocumentException.Syntax(),
    };
}

/// <summary>The condition operators of the policy language, with their ForAnyValue:/ForAllValues: and IfExists forms.</summary>
public static class PolicyConditionOperators
{
    public static readonly IReadOnlySet<string> Base = new HashSet<string>(StringComparer.Ordinal)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    };

    /// <summary>The base operator of <paramref name="op"/> without its set qualifier and IfExists suffix.</summary>
    public static string Strip(string op, out string? setQualifier, out bool ifExists)
    {
        ArgumentNullException.ThrowIfNull(op);
        setQualifier = null;
        foreach (var prefix in (ReadOnlySpan<string>)["ForAnyValue:", "ForAllValues:"])
            if (op.StartsWith(prefix, StringComparison.Ordinal))
            {
                setQualifier = prefix[..^1];
                op = op[prefix.Length..];
                break;
            }
        ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        return ifExists ? op[..^"IfExists".Length] : op;
    }

    public static bool IsKnown(string op) => Base.Contains(Strip(op, out _, out _));
}
