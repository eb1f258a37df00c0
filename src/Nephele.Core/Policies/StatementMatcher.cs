namespace Nephele.Core.Policies;

/// <summary>Whether one statement applies to a request: its principal, action, resource and condition all match.</summary>
public static class StatementMatcher
{
    /// <param name="accountGrants">Whether naming the principal's account (or its root) counts as naming the
    /// principal. It does across accounts and for denials; within an account it only delegates to IAM policies.</param>
    public static bool Applies(PolicyStatement statement, AuthorizationRequest request, bool principalMatters, bool accountGrants = true)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(request);
        if (principalMatters)
        {
            if (statement.Principal is { } principal && !PrincipalMatches(principal, request, accountGrants)) return false;
            if (statement.NotPrincipal is { } notPrincipal && PrincipalMatches(notPrincipal, request)) return false;
        }
        if (statement.Action is { } actions && !actions.Any(a => ActionMatches(a, request.Action))) return false;
        if (statement.NotAction is { } notActions && notActions.Any(a => ActionMatches(a, request.Action))) return false;
        if (statement.Resource is { } resources && !resources.Any(r => ResourceMatches(r, request))) return false;
        if (statement.NotResource is { } notResources && notResources.Any(r => ResourceMatches(r, request))) return false;
        return ConditionEvaluator.Matches(statement.Condition, request);
    }

    /// <summary>Actions are case-insensitive: "s3:get*" matches "s3:GetObject".</summary>
    public static bool ActionMatches(string pattern, string action) => Wildcard.Matches(pattern, action, ignoreCase: true);

    private static bool ResourceMatches(string pattern, AuthorizationRequest request) =>
        PolicyVariables.Substitute(pattern, request, escapeWildcards: true) is { } expanded && Wildcard.Matches(expanded, request.Resource);

    /// <summary>
    /// "*" and {"AWS":"*"} are everyone; an account id or its root ARN is every principal of that account; a role
    /// ARN also names the sessions of that role; service and federated principals match by name.
    /// </summary>
    public static bool PrincipalMatches(PolicyPrincipal principal, AuthorizationRequest request, bool accountGrants = true)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(request);
        if (principal.IsWildcard) return true;
        foreach (var (type, ids) in principal.Values)
            foreach (var id in ids)
            {
                if (id == "*") return true;
                if (type == "AWS" && AwsPrincipalMatches(id, request, accountGrants)) return true;
                if (type != "AWS" && id == request.PrincipalArn) return true;
            }
        return false;
    }

    private static bool AwsPrincipalMatches(string id, AuthorizationRequest request, bool accountGrants)
    {
        if (id == request.PrincipalAccount || id == $"arn:aws:iam::{request.PrincipalAccount}:root") return accountGrants;
        if (id == request.PrincipalArn) return true;
        // arn:aws:sts::<account>:assumed-role/<role>/<session> is a session of arn:aws:iam::<account>:role/<role>.
        const string sessionMarker = ":assumed-role/";
        var marker = request.PrincipalArn.IndexOf(sessionMarker, StringComparison.Ordinal);
        if (marker < 0 || !id.StartsWith("arn:aws:iam::", StringComparison.Ordinal)) return false;
        var rest = request.PrincipalArn[(marker + sessionMarker.Length)..];
        var roleName = rest[..Math.Max(0, rest.LastIndexOf('/'))];
        // A role ARN may carry a path (role/path/name); the session ARN never does.
        return id.StartsWith($"arn:aws:iam::{request.PrincipalAccount}:role/", StringComparison.Ordinal)
            && id.EndsWith("/" + roleName, StringComparison.Ordinal);
    }
}
