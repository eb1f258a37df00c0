using System.Net;
using System.Text.Json;

namespace Nephele.Services.Sns;

/// <summary>
/// One filter policy condition against the values a key has in a message: exact values, prefix, suffix,
/// equals-ignore-case, anything-but (values, lists, prefix, suffix), numeric ranges, exists and IP address cidr.
/// </summary>
internal static class FilterConditions
{
    private static readonly string[] NumericOperators = ["<", "<=", "=", ">", ">="];

    public static bool Matches(JsonElement condition, bool exists, IReadOnlyList<JsonElement> values)
    {
        if (condition.ValueKind == JsonValueKind.Object)
        {
            var op = condition.EnumerateObject().First();
            if (op.Name == "exists") return op.Value.ValueKind == JsonValueKind.True ? exists : !exists;
            if (!exists) return false;
            return values.Any(v => v.ValueKind != JsonValueKind.Undefined && Operator(op.Name, op.Value, v));
        }
        return exists && values.Any(v => Equal(condition, v));
    }

    private static bool Operator(string name, JsonElement operand, JsonElement value) => name switch
    {
        "prefix" => value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(operand.GetString()!, StringComparison.Ordinal),
        "suffix" => value.ValueKind == JsonValueKind.String && value.GetString()!.EndsWith(operand.GetString()!, StringComparison.Ordinal),
        "equals-ignore-case" => value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), operand.GetString(), StringComparison.OrdinalIgnoreCase),
        "anything-but" => AnythingBut(operand, value),
        "numeric" => value.ValueKind == JsonValueKind.Number && Numeric(operand, value.GetDouble()),
        "cidr" => value.ValueKind == JsonValueKind.String && InCidr(operand.GetString()!, value.GetString()!),
        _ => false,
    };

    private static bool AnythingBut(JsonElement operand, JsonElement value) => operand.ValueKind switch
    {
        JsonValueKind.Array => operand.EnumerateArray().All(excluded => !Equal(excluded, value)),
        JsonValueKind.Object => operand.EnumerateObject().First() is var inner && value.ValueKind == JsonValueKind.String
            && !Operator(inner.Name, inner.Value, value),
        _ => !Equal(operand, value),
    };

    private static bool Equal(JsonElement expected, JsonElement value) => expected.ValueKind switch
    {
        JsonValueKind.String => value.ValueKind == JsonValueKind.String && value.GetString() == expected.GetString(),
        // AWS compares numbers to five decimal places' precision: 0.000001 apart counts as equal.
        JsonValueKind.Number => value.ValueKind == JsonValueKind.Number && Math.Abs(value.GetDouble() - expected.GetDouble()) < 1e-6,
        JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => value.ValueKind == expected.ValueKind,
        _ => false,
    };

    private static bool Numeric(JsonElement range, double value)
    {
        var terms = range.EnumerateArray().ToArray();
        for (var i = 0; i + 1 < terms.Length; i += 2)
        {
            var bound = terms[i + 1].GetDouble();
            var ok = terms[i].GetString() switch
            {
                "<" => value < bound,
                "<=" => value <= bound,
                "=" => Math.Abs(value - bound) < 1e-6,
                ">" => value > bound,
                ">=" => value >= bound,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool InCidr(string cidr, string address) =>
        IPNetwork.TryParse(cidr, out var network) && IPAddress.TryParse(address, out var ip) && network.Contains(ip);

    /// <summary>Validates an operator object ({"prefix": ...}, {"numeric": [...]}, ...) with AWS's messages.</summary>
    public static void ValidateOperator(JsonElement condition, string prefix)
    {
        var members = condition.EnumerateObject().ToList();
        if (members.Count != 1) throw Invalid(prefix, "Only one key allowed in match expression");
        var (name, value) = (members[0].Name, members[0].Value);
        switch (name)
        {
            case "prefix" or "suffix" or "equals-ignore-case":
                if (value.ValueKind != JsonValueKind.String) throw Invalid(prefix, $"{name} match pattern must be a string");
                return;
            case "exists":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid(prefix, "exists match pattern must be either true or false.");
                return;
            case "anything-but":
                ValidateAnythingBut(value, prefix);
                return;
            case "numeric":
                ValidateNumeric(value, prefix);
                return;
            case "cidr":
                ValidateCidr(value, prefix);
                return;
            default:
                throw Invalid(prefix, $"Unrecognized match type {name}");
        }
    }

    private static void ValidateAnythingBut(JsonElement value, string prefix)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                return;
            case JsonValueKind.Array:
                if (value.GetArrayLength() == 0) throw Invalid(prefix, "Empty arrays are not allowed");
                if (value.EnumerateArray().Any(v => v.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
                    throw Invalid(prefix, "Inside anything but list, start|null|boolean is not supported.");
                return;
            case JsonValueKind.Object:
                var inner = value.EnumerateObject().ToList();
                if (inner.Count != 1 || inner[0].Name is not ("prefix" or "suffix" or "equals-ignore-case"))
                    throw Invalid(prefix, $"Unsupported anything-but pattern: {(inner.Count > 0 ? inner[0].Name : "")}");
                if (inner[0].Value.ValueKind != JsonValueKind.String)
                    throw Invalid(prefix, $"{inner[0].Name} match pattern must be a string");
                return;
            default:
                throw Invalid(prefix, "Value of anything-but must be an array or single string/number value.");
        }
    }

    private static void ValidateNumeric(JsonElement value, string prefix)
    {
        var terms = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [];
        if (terms.Length == 0) throw Invalid(prefix, "Invalid member in numeric match: ]");
        if (terms[0].ValueKind != JsonValueKind.String) throw Invalid(prefix, $"Invalid member in numeric match: {terms[0].GetRawText()}");
        var first = terms[0].GetString()!;
        if (!NumericOperators.Contains(first)) throw Invalid(prefix, $"Unrecognized numeric range operator: {first}");
        if (terms.Length < 2 || terms[1].ValueKind != JsonValueKind.Number)
            throw Invalid(prefix, $"Value of {(first == "=" ? "equals" : first)} must be numeric");
        if (terms.Length == 2) return;
        if (first is not (">" or ">=")) throw Invalid(prefix, "Too many elements in numeric expression");
        if (terms[2].ValueKind != JsonValueKind.String) throw Invalid(prefix, $"Bad value in numeric range: {terms[2].GetRawText()}");
        var second = terms[2].GetString()!;
        if (second is not ("<" or "<=")) throw Invalid(prefix, $"Bad numeric range operator: {second}");
        if (terms.Length < 4 || terms[3].ValueKind != JsonValueKind.Number) throw Invalid(prefix, $"Value of {second} must be numeric");
        if (terms[3].GetDouble() <= terms[1].GetDouble()) throw Invalid(prefix, "Bottom must be less than top");
        if (terms.Length > 4) throw Invalid(prefix, "Too many terms in numeric range expression");
    }

    private static void ValidateCidr(JsonElement value, string prefix)
    {
        // AWS words a non-string cidr like a non-string prefix.
        if (value.ValueKind != JsonValueKind.String) throw Invalid(prefix, "prefix match pattern must be a string");
        var text = value.GetString()!;
        var parts = text.Split('/');
        if (parts.Length != 2) throw Invalid(prefix, "Malformed CIDR, one '/' required");
        if (!int.TryParse(parts[1], out _)) throw Invalid(prefix, "Malformed CIDR, mask bits must be an integer");
        if (!IPNetwork.TryParse(text, out _)) throw Invalid(prefix, $"Nonstandard IP address: {parts[0]}");
    }

    private static Nephele.Core.Protocols.AwsException Invalid(string prefix, string reason) =>
        SnsErrors.InvalidParameter($"{prefix}FilterPolicy: {reason}");
}
