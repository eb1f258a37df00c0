namespace Nephele.Core.Policies;

/// <summary>
/// One request to authorize: who (principal ARN and account), what (an action such as "s3:GetObject"), on which
/// resource (an ARN, or "*" for actions without one), and the request context whose keys conditions and policy
/// variables read (aws:SourceIp, aws:CurrentTime, s3:prefix ...). Context keys are case-insensitive.
/// </summary>
public sealed class AuthorizationRequest
{
    public required string PrincipalArn { get; init; }
    public required string PrincipalAccount { get; init; }
    public required string Action { get; init; }
    public required string Resource { get; init; }
    /// <summary>The account that owns the resource; a request across accounts needs both sides to allow it.</summary>
    public string? ResourceAccount { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Context { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The values of a context key, or null when the request does not carry it.</summary>
    public IReadOnlyList<string>? Values(string key) => Context.TryGetValue(key, out var values) ? values : null;
}

/// <summary>The policies that apply to a request, by where they come from.</summary>
public sealed class ApplicablePolicies
{
    /// <summary>Identity-based policies of the principal (its own, its groups', its role's), managed and inline.</summary>
    public IReadOnlyList<PolicyDocument> Identity { get; init; } = [];
    /// <summary>The resource's own policy (bucket policy, queue policy, key policy ...), if it has one.</summary>
    public PolicyDocument? Resource { get; init; }
    /// <summary>The principal's permissions boundary: when set, it caps what identity policies grant.</summary>
    public PolicyDocument? PermissionsBoundary { get; init; }
    /// <summary>Session policies passed when the role was assumed: when present, they cap the session too.</summary>
    public IReadOnlyList<PolicyDocument>? Session { get; init; }
}

public enum PolicyDecision
{
    /// <summary>Some policy allows the request and none denies it.</summary>
    Allow,
    /// <summary>No policy allows the request.</summary>
    ImplicitDeny,
    /// <summary>A policy denies the request explicitly; nothing else can allow it.</summary>
    ExplicitDeny,
}
