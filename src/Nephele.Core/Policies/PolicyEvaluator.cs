namespace Nephele.Core.Policies;

/// <summary>
/// AWS's policy evaluation logic: an explicit Deny in any applicable policy wins; otherwise the request needs an
/// Allow — from the resource's policy or the principal's identity policies within the same account (both when the
/// resource is in another account) — and, where a permissions boundary or session policies apply, an Allow from
/// each of them too.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(AuthorizationRequest request, ApplicablePolicies policies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        var crossAccount = request.ResourceAccount is { } owner && owner != request.PrincipalAccount;
        var identity = Decide(policies.Identity, request, principalMatters: false);
        var resource = policies.Resource is { } r ? Decide([r], request, principalMatters: true, accountGrants: crossAccount) : Effect.None;
        var boundary = policies.PermissionsBoundary is { } b ? Decide([b], request, principalMatters: false) : Effect.Allow;
        var session = policies.Session is { } s ? Decide(s, request, principalMatters: false) : Effect.Allow;

        if (identity == Effect.Deny || resource == Effect.Deny || boundary == Effect.Deny || session == Effect.Deny)
            return PolicyDecision.ExplicitDeny;
        if (crossAccount)
            return identity == Effect.Allow && resource == Effect.Allow && boundary == Effect.Allow && session == Effect.Allow
                ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
        // Within an account, a resource policy that names the principal grants on its own.
        if (resource == Effect.Allow) return PolicyDecision.Allow;
        return identity == Effect.Allow && boundary == Effect.Allow && session == Effect.Allow ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
    }

    private enum Effect { None, Allow, Deny }

    /// <summary>Deny when any matching statement denies, else Allow when one allows, else None.</summary>
    private static Effect Decide(IEnumerable<PolicyDocument> documents, AuthorizationRequest request, bool principalMatters, bool accountGrants = true)
    {
        var allowed = false;
        foreach (var document in documents)
            foreach (var statement in document.Statements)
            {
                var deny = statement.Effect == PolicyEffect.Deny;
                // A statement naming the caller's own account delegates to its IAM policies rather than granting.
                if (!StatementMatcher.Applies(statement, request, principalMatters, accountGrants || deny)) continue;
                if (deny) return Effect.Deny;
                allowed = true;
            }
        return allowed ? Effect.Allow : Effect.None;
    }
}
