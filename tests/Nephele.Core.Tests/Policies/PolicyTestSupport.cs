using Nephele.Core.Policies;

namespace Nephele.Core.Tests.Policies;

internal static class PolicyTestSupport
{
    public const string Account = "111122223333";
    public const string UserArn = "arn:aws:iam::111122223333:user/alice";

    public static AuthorizationRequest Request(string action, string resource, Dictionary<string, string[]>? context = null,
        string principal = UserArn, string account = Account, string? resourceAccount = null) => new()
        {
            PrincipalArn = principal,
            PrincipalAccount = account,
            Action = action,
            Resource = resource,
            ResourceAccount = resourceAccount,
            Context = (context ?? []).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.OrdinalIgnoreCase),
        };

    public static PolicyDocument Policy(string json) => PolicyDocument.Parse(json);

    public static PolicyDecision Identity(AuthorizationRequest request, params string[] policies) =>
        PolicyEvaluator.Evaluate(request, new ApplicablePolicies { Identity = policies.Select(Policy).ToList() });

    /// <summary>An identity policy with one statement: effect, action, resource and an optional condition block.</summary>
    public static string Statement(string effect, string action, string resource, string? condition = null) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Action":"{{action}}","Resource":"{{resource}}"{{(condition is null ? "" : $",\"Condition\":{condition}")}}}]}""";
}
