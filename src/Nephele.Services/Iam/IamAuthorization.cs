using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>
/// For --enforce-iam: IAM requests act on the user, group, role, instance profile or managed policy they name
/// (arn:aws:iam::account:user/path/name ...), as iam:&lt;Operation&gt;. Group membership changes act on the group, and
/// attaching a policy acts on the identity with the policy as iam:PolicyARN; a request about the caller's own keys
/// or password acts on the caller. Tags are iam:ResourceTag/* and aws:ResourceTag/*.
/// </summary>
public sealed partial class IamProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var account = context.AccountId;
        var scope = Nephele.Core.State.Scope.Global(account);
        string? arn = null;
        List<TagRecord>? tags = null;
        if (input.GetString("GroupName") is { Length: > 0 } groupName)
            arn = _store.Groups.Get(scope, groupName)?.Arn ?? $"arn:aws:iam::{account}:group/{input.GetString("Path")?.TrimStart('/') ?? ""}{groupName}";
        else if (input.GetString("UserName") is { Length: > 0 } userName)
        {
            var user = _store.Users.Get(scope, userName);
            (arn, tags) = (user?.Arn ?? $"arn:aws:iam::{account}:user/{input.GetString("Path")?.TrimStart('/') ?? ""}{userName}", user?.Tags);
        }
        else if (input.GetString("RoleName") is { Length: > 0 } roleName)
        {
            var role = _store.Roles.Get(scope, roleName);
            (arn, tags) = (role?.Arn ?? $"arn:aws:iam::{account}:role/{input.GetString("Path")?.TrimStart('/') ?? ""}{roleName}", role?.Tags);
        }
        else if (input.GetString("InstanceProfileName") is { Length: > 0 } profileName)
        {
            var profile = _store.InstanceProfiles.Get(scope, profileName);
            (arn, tags) = (profile?.Arn ?? $"arn:aws:iam::{account}:instance-profile/{input.GetString("Path")?.TrimStart('/') ?? ""}{profileName}", profile?.Tags);
        }
        else if (input.GetString("PolicyArn") is { Length: > 0 } policyArn)
            (arn, tags) = (policyArn, FindPolicy(account, policyArn)?.Tags);
        else if (context.Operation.Name == "CreatePolicy" && input.GetString("PolicyName") is { Length: > 0 } policyName)
            arn = $"arn:aws:iam::{account}:policy/{input.GetString("Path")?.TrimStart('/') ?? ""}{policyName}";
        else if (context.Operation.Name is "CreateAccessKey" or "ListAccessKeys" or "UpdateAccessKey" or "DeleteAccessKey" or "GetUser"
            or "ChangePassword" or "GetLoginProfile" && context.Caller.Arn.Contains(":user/", StringComparison.Ordinal))
            arn = context.Caller.Arn; // Without UserName these act on the caller.
        else if ((input.GetString("OpenIDConnectProviderArn") ?? input.GetString("SAMLProviderArn")) is { Length: > 0 } providerArn)
            arn = providerArn;
        if (arn is null) return [];
        var keys = new ConditionKeys()
            .Add("iam:PolicyARN", context.Operation.Name.Contains("Policy", StringComparison.Ordinal) && !context.Operation.Name.StartsWith("CreatePolicy", StringComparison.Ordinal)
                ? input.GetString("PolicyArn") : null)
            .Add("iam:PermissionsBoundary", input.GetString("PermissionsBoundary"))
            .Add("iam:AWSServiceName", input.GetString("AWSServiceName"))
            .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("Tags")))
            .TagKeys((input.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList());
        var resourceTags = tags?.Select(t => KeyValuePair.Create(t.Key, t.Value)).ToList();
        keys.ResourceTags(resourceTags).Prefixed("iam:ResourceTag/", resourceTags);
        return [new AuthorizationTarget(arn) { Context = keys.Build() }];
    }
}
