using System.Text.Json;

namespace Nephele.Core.Policies;

public enum PolicyEffect { Allow, Deny }

/// <summary>
/// A parsed IAM policy language document (identity, trust and resource policies: IAM, S3 bucket, SQS, SNS,
/// KMS key policies ...). Parsing checks the grammar only; what a kind of policy must or must not contain is
/// checked by <see cref="PolicyValidation"/>. Single values are normalised to one-element lists.
/// </summary>
public sealed class PolicyDocument
{
    public string? Version { get; init; }
    public string? Id { get; init; }
    public required IReadOnlyList<PolicyStatement> Statements { get; init; }

    /// <summary>Parses <paramref name="json"/>; a grammar error throws <see cref="PolicyDocumentException"/>
    /// with IAM's message ("Syntax errors in policy.").</summary>
    public static PolicyDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            throw PolicyDocumentException.Syntax();
        }
        using (parsed)
        {
            return PolicyDocumentReader.Read(parsed.RootElement);
        }
    }

    /// <summary>The document, or null with the reason when it does not parse.</summary>
    public static PolicyDocument? TryParse(string json, out string? error)
    {
        try
        {
            error = null;
            return Parse(json);
        }
        catch (PolicyDocumentException e)
        {
            error = e.Message;
            return null;
        }
    }
}

/// <summary>One statement. Absent elements are null (Action and NotAction: exactly one is set once validated).</summary>
public sealed class PolicyStatement
{
    public string? Sid { get; init; }
    public required PolicyEffect Effect { get; init; }
    /// <summary>The Effect as written ("allow" parses but fails IAM's stricter legacy check).</summary>
    public required string EffectText { get; init; }
    public PolicyPrincipal? Principal { get; init; }
    public PolicyPrincipal? NotPrincipal { get; init; }
    public IReadOnlyList<string>? Action { get; init; }
    public IReadOnlyList<string>? NotAction { get; init; }
    public IReadOnlyList<string>? Resource { get; init; }
    public IReadOnlyList<string>? NotResource { get; init; }

    /// <summary>Condition operator (e.g. "StringEquals", "ForAnyValue:StringLikeIfExists") → condition key → values.
    /// Values keep their JSON text for numbers and booleans ("10", "true").</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Condition { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();
}

/// <summary>
/// A Principal or NotPrincipal element: "*" (anyone), or principal type ("AWS", "Service", "Federated",
/// "CanonicalUser") → identifiers.
/// </summary>
public sealed class PolicyPrincipal
{
    public bool IsWildcard { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>A policy document that is not valid; the message is IAM's (MalformedPolicyDocument).</summary>
public sealed class PolicyDocumentException(string message) : Exception(message)
{
    public static PolicyDocumentException Syntax() => new("Syntax errors in policy.");
}
