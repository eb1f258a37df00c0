using System.Globalization;
using System.Text;
using System.Text.Json;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// A POST policy: base64 JSON with an expiration and conditions ({"field": "value"}, ["eq", "$field", "value"],
/// ["starts-with", "$field", "prefix"], ["content-length-range", min, max]) that every field of the form must meet.
/// Errors are S3's: a malformed policy is 400 InvalidPolicyDocument, a policy the form does not meet 403 AccessDenied
/// ("Invalid according to Policy: ...").
/// </summary>
internal sealed class S3PostPolicy
{
    /// <summary>One condition: <see cref="Field"/> is the name without '$' (null when the policy forgot the '$'),
    /// <see cref="Display"/> the condition as S3 quotes it in errors.</summary>
    private sealed record Condition(string Operation, string? Field, string Value, string Display, string? Min = null, string? Max = null);

    private readonly List<Condition> _conditions;

    private S3PostPolicy(DateTimeOffset expiration, List<Condition> conditions) => (Expiration, _conditions) = (expiration, conditions);

    public DateTimeOffset Expiration { get; }

    // Fields no condition needs to name.
    private static readonly string[] Exempt = ["x-amz-signature", "file", "policy", "awsaccesskeyid", "signature"];

    public static S3PostPolicy Parse(string base64)
    {
        byte[] json;
        try { json = Convert.FromBase64String(base64); }
        catch (FormatException) { throw Invalid("invalid Base64 encoding."); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException) { throw Invalid("Invalid JSON."); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("Invalid JSON.");
            JsonElement? expiration = null, conditions = null;
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "expiration": expiration = member.Value; break;
                    case "conditions": conditions = member.Value; break;
                    default: throw Invalid($"Unexpected: '{member.Name.ToLowerInvariant()}'");
                }
            }
            if (expiration is not { } e) throw Invalid("Policy missing expiration.");
            if (conditions is not { } c) throw Invalid("Policy missing conditions.");
            if (e.ValueKind != JsonValueKind.String || !TryParseExpiration(e.GetString()!, out var expires))
                throw Invalid($"Invalid 'expiration' value: '{(e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())}'");
            if (c.ValueKind != JsonValueKind.Array) throw Invalid("Invalid 'conditions' value: must be a List.");
            return new S3PostPolicy(expires, c.EnumerateArray().Select(ParseCondition).ToList());
        }
    }

    /// <summary>ISO 8601 in UTC ("2026-01-01T12:00:00.000Z" or without fractions); offsets and spaces are refused, as S3 does.</summary>
    private static bool TryParseExpiration(string text, out DateTimeOffset expires) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out expires);

    private static Condition ParseCondition(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().ToList();
                if (members.Count != 1) throw Invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                if (members[0].Value.ValueKind == JsonValueKind.Null) throw Invalid("Invalid JSON.");
                if (members[0].Value.ValueKind != JsonValueKind.String) throw Invalid("Invalid Simple-Condition: value must be a string.");
                var value = members[0].Value.GetString()!;
                return new Condition("eq", members[0].Name, value, Quote(["eq", "$" + members[0].Name, value]));
            case JsonValueKind.Array:
                var items = element.EnumerateArray().ToList();
                if (items.Count == 0 || items[0].ValueKind != JsonValueKind.String) throw Invalid("Invalid Condition: missing operation identifier.");
                var operation = items[0].GetString()!.ToLowerInvariant();
                if (operation is not ("eq" or "starts-with" or "content-length-range"))
                    throw Invalid($"Invalid Condition: unknown operation '{items[0].GetString()}'.");
                if (items.Count != 3) throw Invalid($"Invalid {operation}: wrong number of arguments.");
                if (operation == "content-length-range")
                {
                    var min = RangeBound(items[1]);
                    var max = RangeBound(items[2]);
                    return new Condition(operation, null, "", Quote([items[0].GetString()!, min, max]), min, max);
                }
                if (items[1].ValueKind != JsonValueKind.String || items[2].ValueKind != JsonValueKind.String) throw Invalid("Invalid JSON.");
                var name = items[1].GetString()!;
                var text = items[2].GetString()!;
                return new Condition(operation, name.StartsWith('$') ? name[1..] : null, text, Quote([items[0].GetString()!, name, text]));
            default:
                throw Invalid("Invalid condition test: must be a List or Object.");
        }
    }

    /// <summary>A content-length-range bound: an integer or a string (checked when the form is); fractions are not JSON S3 accepts.</summary>
    private static string RangeBound(JsonElement bound) => bound.ValueKind switch
    {
        JsonValueKind.Number when bound.TryGetInt64(out var n) => n >= 0 ? n.ToString(CultureInfo.InvariantCulture)
            : throw Invalid("Invalid content-length-range: the values must not be negative."),
        JsonValueKind.String => bound.GetString()!,
        _ => throw Invalid("Invalid JSON."),
    };

    /// <summary>
    /// Checks the form against the policy: not expired, every condition met (on the expanded field values; "bucket" is
    /// the bucket posted to), every field named by some condition. Returns the content-length-range, if any.
    /// </summary>
    public (long Min, long Max)? Check(DateTimeOffset now, S3PostForm form, string bucket)
    {
        if (now >= Expiration) throw Denied("Policy expired.");
        (long, long)? range = null;
        foreach (var condition in _conditions)
        {
            if (condition.Operation == "content-length-range")
            {
                if (!long.TryParse(condition.Min, NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                    || !long.TryParse(condition.Max, NumberStyles.None, CultureInfo.InvariantCulture, out var max))
                    throw Failed(condition);
                range = (min, max);
                continue;
            }
            var actual = condition.Field is null ? null
                : condition.Field.Equals("bucket", StringComparison.OrdinalIgnoreCase) ? bucket
                : form.Get(condition.Field);
            if (actual is null) throw Failed(condition);
            var met = condition.Operation == "eq" ? actual == condition.Value
                // A Content-Type list ("image/jpg,image/png") meets starts-with only when each of its types does.
                : condition.Field!.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    ? actual.Split(',').All(t => t.Trim().StartsWith(condition.Value, StringComparison.Ordinal))
                    : actual.StartsWith(condition.Value, StringComparison.Ordinal);
            if (!met) throw Failed(condition);
        }
        foreach (var (name, _) in form.Fields)
        {
            if (Exempt.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase)) continue;
            if (!_conditions.Exists(c => c.Field is not null && c.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw Denied($"Extra input fields: {name}");
        }
        return range;
    }

    private static string Quote(string[] items)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append('"').Append(items[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }
        return sb.Append(']').ToString();
    }

    private static AwsException Invalid(string message) => new("InvalidPolicyDocument", "Invalid Policy: " + message, 400);

    private static AwsException Denied(string message) => new("AccessDenied", "Invalid according to Policy: " + message, 403);

    private static AwsException Failed(Condition condition) => Denied("Policy Condition failed: " + condition.Display);
}
