using Nephele.Core.Auth;
using Nephele.Core.Gateway;

namespace Nephele.Core.Policies;

/// <summary>Implemented by the provider that keeps principals (IAM): the policies that apply to a caller.</summary>
public interface IIdentityPolicySource
{
    /// <summary>The caller's identity policies, permissions boundary and session policies, and its tags
    /// (aws:PrincipalTag/...); null when the principal no longer exists.</summary>
    PrincipalPolicies? PoliciesOf(CallerIdentity caller);
}

public sealed class PrincipalPolicies
{
    public required ApplicablePolicies Policies { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    /// <summary>aws:username for IAM users.</summary>
    public string? UserName { get; init; }
}

/// <summary>
/// Implemented by a provider whose requests name resources: the ARN a request acts on and that resource's own
/// policy (bucket policy, queue policy, key policy ...). A service without it is authorized against resource "*".
/// </summary>
public interface IResourcePolicySource
{
    AuthorizationTarget TargetOf(RequestContext context, Dictionary<string, object?> input);
}

/// <summary>The resource of a request; <see cref="Account"/> is its owner when it differs from the caller's.</summary>
public sealed record AuthorizationTarget(string Resource, PolicyDocument? Policy = null, string? Account = null)
{
    public static readonly AuthorizationTarget Any = new("*");
}
