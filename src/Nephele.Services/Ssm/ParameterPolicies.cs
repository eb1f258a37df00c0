using System.Globalization;
using System.Text.Json;
using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

/// <summary>A parameter policy as given (Expiration, ExpirationNotification, NoChangeNotification).</summary>
internal sealed record ParameterPolicy(string Type, string Text);

/// <summary>Reads the Policies member of PutParameter: a JSON array of {Type, Version, Attributes}.</summary>
internal static class ParameterPolicies
{
    public static List<ParameterPolicy> Parse(string? policies)
    {
        if (policies is null) return [];
        var result = new List<ParameterPolicy>();
        try
        {
            using var doc = JsonDocument.Parse(policies);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw Invalid();
            foreach (var policy in doc.RootElement.EnumerateArray())
            {
                var type = policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("Type", out var t) ? t.GetString() ?? "" : "";
                if (type is not ("Expiration" or "ExpirationNotification" or "NoChangeNotification"))
                    throw new AwsException("InvalidPolicyTypeException", $"The following policy types are not supported: {type}");
                if (type == "Expiration") _ = ExpirationOf(policy.GetRawText());
                result.Add(new(type, policy.GetRawText()));
            }
        }
        catch (JsonException)
        {
            throw Invalid();
        }
        return result;
    }

    /// <summary>When an Expiration policy deletes the parameter; null when it has none.</summary>
    public static DateTimeOffset? Expiration(IEnumerable<ParameterPolicy> policies) =>
        policies.FirstOrDefault(p => p.Type == "Expiration") is { } expiration ? ExpirationOf(expiration.Text) : null;

    private static DateTimeOffset ExpirationOf(string text)
    {
        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.TryGetProperty("Attributes", out var attributes) && attributes.TryGetProperty("Timestamp", out var ts)
            && DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        throw new AwsException("InvalidPolicyAttributeException", "A policy attribute or its value is invalid. Expiration requires Attributes.Timestamp.");
    }

    private static AwsException Invalid() =>
        new("InvalidPolicyAttributeException", "A policy attribute or its value is invalid. Policies must be a JSON array of policy objects.");

    public static List<object?> Write(IEnumerable<ParameterPolicy> policies) =>
        [.. policies.Select(p => (object?)new Dictionary<string, object?> { ["PolicyText"] = p.Text, ["PolicyType"] = p.Type, ["PolicyStatus"] = "Pending" })];
}
