using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Iam;

namespace Nephele.Services.Sts;

/// <summary>
/// For --enforce-iam: assuming a role acts on the role, and the role's trust policy is its resource policy — so a trust
/// policy naming the caller lets it in, one naming the account defers to the caller's IAM policies, as in AWS.
/// </summary>
public sealed partial class StsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.GetString("RoleArn") is not { Length: > 0 } roleArn) return [];
        var trust = Role(roleArn)?.AssumeRolePolicyDocument is { } document ? PolicyDocument.TryParse(document, out _) : null;
        // A request that signs in with MFA presents it to the trust policy (the code itself is checked by AssumeRole).
        var mfa = input.GetString("SerialNumber") is not null && input.GetString("TokenCode") is not null
            ? new Dictionary<string, IReadOnlyList<string>> { ["aws:MultiFactorAuthPresent"] = ["true"], ["aws:MultiFactorAuthAge"] = ["0"] }
            : null;
        return [new AuthorizationTarget(roleArn, trust, ParseRoleArn(roleArn).Account) { Context = mfa }];
    }

    /// <summary>The IAM role an ARN names, when IAM has it.</summary>
    private RoleRecord? Role(string roleArn)
    {
        var (account, name) = ParseRoleArn(roleArn);
        return _iam.Roles.Get(Scope.Global(account), name) is { } role && role.Arn == roleArn ? role : null;
    }
}
