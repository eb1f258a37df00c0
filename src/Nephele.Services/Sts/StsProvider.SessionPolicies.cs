using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Sts;

/// <summary>
/// Session policies (AssumeRole's and GetFederationToken's Policy and PolicyArns): kept with the session's access key
/// so that --enforce-iam grants the session only what both its principal's policies and the session policies allow.
/// </summary>
public sealed partial class StsProvider
{
    private readonly SessionPolicyStore _sessionPolicies = new(env.State);

    /// <summary>Validates the request's session policies and remembers them for the credentials just issued.</summary>
    private void RememberSessionPolicies(string account, Dictionary<string, object?> credentials, Dictionary<string, object?> input, string? federatedFrom,
        DateTimeOffset? multiFactorAuthTime = null)
    {
        var policy = input.GetString("Policy");
        if (policy is not null && PolicyDocument.TryParse(policy, out var error) is null)
            throw new AwsException("MalformedPolicyDocument", error ?? "The policy is not in the valid JSON format.", 400);
        var arns = (input.GetValueOrDefault("PolicyArns") as List<object?>)?.OfType<Dictionary<string, object?>>()
            .Select(p => p.GetString("arn")).OfType<string>().ToList() ?? [];
        if (arns.Count > 10) throw new AwsException("ValidationError", "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10", 400);
        if (policy is null && arns.Count == 0 && federatedFrom is null && multiFactorAuthTime is null) return;
        _sessionPolicies.Put(account, (string)credentials["AccessKeyId"]!,
            new SessionPolicyRecord { Policy = policy, PolicyArns = arns, FederatedFrom = federatedFrom, MultiFactorAuthTime = multiFactorAuthTime });
    }
}
