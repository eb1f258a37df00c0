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
    /// <summary>When the caller's temporary credentials were obtained with MFA (aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge).</summary>
    public DateTimeOffset? MultiFactorAuthTime { get; init; }
}

/// <summary>
/// Implemented by a provider whose requests name resources: what a request needs to be allowed — the IAM action on
/// the ARN it acts on, under that resource's own policy (bucket policy, queue policy, key policy ...), with the
/// service's condition keys. Most requests need one authorization; some need several (CopyObject reads one object
/// and writes another, DeleteObjects deletes each key). A service without it, or an empty answer, is authorized
/// as "service:Operation" against resource "*".
/// </summary>
public interface IResourcePolicySource
{
    IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input);
}

/// <summary>The resource of a request; <see cref="Account"/> is its owner when it differs from the caller's.</summary>
public sealed record AuthorizationTarget(string Resource, PolicyDocument? Policy = null, string? Account = null)
{
    public static readonly AuthorizationTarget Any = new("*");

    /// <summary>The IAM action when it is not "service:Operation" (ListObjectsV2 is s3:ListBucket).</summary>
    public string? Action { get; init; }

    /// <summary>Service-specific condition keys (s3:prefix, dynamodb:LeadingKeys, aws:ResourceTag/k ...).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Context { get; init; }

    /// <summary>The service's own permission mechanism allows the request (a KMS grant for the caller and operation):
    /// it is allowed unless a policy denies it explicitly.</summary>
    public bool Granted { get; init; }

    /// <summary>S3 writes the resource in quotes in its AccessDenied message; other services do not.</summary>
    public bool QuoteResourceInMessage { get; init; }
}
