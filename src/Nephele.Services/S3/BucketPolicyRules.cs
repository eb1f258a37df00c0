using System.Text.Json;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// What S3 checks in a bucket policy before storing it (MalformedPolicy with AWS's messages), and whether
/// it makes the bucket public. S3-specific rules only, on JsonDocument; generic policy evaluation is IAM's.
/// </summary>
internal static class BucketPolicyRules
{
    private const int MaxPolicyBytes = 20 * 1024;

    // Conditions on these keys tie a statement to known callers, so a "*" principal is not public under them.
    private static readonly string[] RestrictingConditionKeys =
    [
        "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
        "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
        "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ];

    public static void Validate(string policy, string bucket)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(policy) > MaxPolicyBytes) throw Malformed("Policies must be less than 20 KB");
        JsonDocument doc;
        try
        {
            if (!policy.TrimStart().StartsWith('{')) throw new JsonException();
            doc = JsonDocument.Parse(policy);
        }
        catch (JsonException)
        {
            throw Malformed("Policies must be valid JSON and the first byte must be '{'");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.TryGetProperty("Version", out var version) && version.GetString() is not ("2012-10-17" or "2008-10-17"))
                throw Malformed("Invalid policy document version");
            if (!root.TryGetProperty("Statement", out var statements)) throw Malformed("Missing required field Statement");
            foreach (var statement in Items(statements))
                ValidateStatement(statement, bucket);
        }
    }

    /// <summary>True when some Allow statement grants to everyone ("*") without a condition that narrows who.</summary>
    public static bool IsPublic(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        if (!doc.RootElement.TryGetProperty("Statement", out var statements)) return false;
        foreach (var statement in Items(statements))
        {
            if (statement.ValueKind != JsonValueKind.Object) continue;
            if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow") continue;
            if (!statement.TryGetProperty("Principal", out var principal) || !IsEveryone(principal)) continue;
            if (statement.TryGetProperty("Condition", out var condition) && Restricts(condition)) continue;
            return true;
        }
        return false;
    }

    private static void ValidateStatement(JsonElement statement, string bucket)
    {
        if (statement.ValueKind != JsonValueKind.Object) throw Malformed("Statement is not valid");
        if (!statement.TryGetProperty("Effect", out var effect)) throw Malformed("Missing required field Effect");
        if (effect.ValueKind != JsonValueKind.String || effect.GetString() is not ("Allow" or "Deny"))
            throw Malformed("Invalid effect: " + (effect.ValueKind == JsonValueKind.String ? effect.GetString() : effect.GetRawText()));

        var hasPrincipal = statement.TryGetProperty("Principal", out var principal);
        var hasNotPrincipal = statement.TryGetProperty("NotPrincipal", out var notPrincipal);
        if (!hasPrincipal && !hasNotPrincipal) throw Malformed("Missing required field Principal");
        if (!ValidPrincipal(hasPrincipal ? principal : notPrincipal)) throw Malformed("Invalid principal in policy");

        var hasAction = statement.TryGetProperty("Action", out var action);
        var hasNotAction = statement.TryGetProperty("NotAction", out var notAction);
        if (!hasAction && !hasNotAction) throw Malformed("Missing required field Action");
        foreach (var a in Items(hasAction ? action : notAction))
            if (a.ValueKind != JsonValueKind.String || !ValidAction(a.GetString()!)) throw Malformed("Policy has invalid action");

        var hasResource = statement.TryGetProperty("Resource", out var resource);
        var hasNotResource = statement.TryGetProperty("NotResource", out var notResource);
        if (!hasResource && !hasNotResource) throw Malformed("Missing required field Resource");
        foreach (var r in Items(hasResource ? resource : notResource))
            if (r.ValueKind != JsonValueKind.String || !ResourceInBucket(r.GetString()!, bucket)) throw Malformed("Policy has invalid resource");

        if (statement.TryGetProperty("Condition", out var condition) && condition.ValueKind != JsonValueKind.Object)
            throw Malformed("Invalid Condition");
    }

    private static bool ValidPrincipal(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String) return principal.GetString() == "*";
        if (principal.ValueKind != JsonValueKind.Object) return false;
        foreach (var kind in principal.EnumerateObject())
        {
            if (kind.Name is not ("AWS" or "Service" or "Federated" or "CanonicalUser")) return false;
            foreach (var id in Items(kind.Value))
            {
                if (id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } value) return false;
                var ok = kind.Name switch
                {
                    "AWS" => value == "*" || (value.Length == 12 && value.All(char.IsAsciiDigit)) || value.StartsWith("arn:aws", StringComparison.Ordinal),
                    "CanonicalUser" => value.Length == 64 && value.All(char.IsAsciiHexDigit),
                    _ => true,
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    private static bool ValidAction(string action)
    {
        if (action == "*") return true;
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !action[..colon].Equals("s3", StringComparison.OrdinalIgnoreCase)) return false;
        var name = action[(colon + 1)..];
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '?');
    }

    /// <summary>A bucket policy may only name the bucket itself or objects in it (wildcards allowed).</summary>
    private static bool ResourceInBucket(string resource, string bucket)
    {
        const string prefix = "arn:aws:s3:::";
        if (!resource.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = resource[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var named = slash < 0 ? rest : rest[..slash];
        return WildcardCovers(named, bucket);
    }

    private static bool WildcardCovers(string pattern, string value)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?')) return pattern == value;
        // Glob to a simple recursive match: patterns are short bucket names.
        return Glob(pattern.AsSpan(), value.AsSpan());
    }

    private static bool Glob(ReadOnlySpan<char> p, ReadOnlySpan<char> v)
    {
        if (p.IsEmpty) return v.IsEmpty;
        if (p[0] == '*')
        {
            for (var i = 0; i <= v.Length; i++)
                if (Glob(p[1..], v[i..])) return true;
            return false;
        }
        return !v.IsEmpty && (p[0] == '?' || p[0] == v[0]) && Glob(p[1..], v[1..]);
    }

    private static bool IsEveryone(JsonElement principal) => principal.ValueKind switch
    {
        JsonValueKind.String => principal.GetString() == "*",
        JsonValueKind.Object => principal.TryGetProperty("AWS", out var aws) && Items(aws).Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == "*"),
        _ => false,
    };

    private static bool Restricts(JsonElement condition)
    {
        if (condition.ValueKind != JsonValueKind.Object) return false;
        foreach (var op in condition.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var key in op.Value.EnumerateObject())
                if (RestrictingConditionKeys.Contains(key.Name.ToLowerInvariant()) && !Items(key.Value).Any(v => v.ValueKind == JsonValueKind.String && v.GetString() is "*" or "0.0.0.0/0" or "::/0"))
                    return true;
        }
        return false;
    }

    /// <summary>A policy element that is one value or an array of them.</summary>
    private static IEnumerable<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToArray() : [element];

    private static AwsException Malformed(string message) => S3ConfigErrors.MalformedPolicy(message);
}
