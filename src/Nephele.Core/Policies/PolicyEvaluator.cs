namespace Nephele.Core.Policies;

/// <summary>
/// AWS's policy evaluation logic: an explicit Deny in any applicable policy wins; otherwise the request needs an
/// Allow — from the resource's policy or the principal's identity policies within the same account (both when the
/// resource is in another account) — and, where a permissions boundary or session policies apply, an Allow from
/// each of them too.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(AuthorizationRequest request, ApplicablePolicies policies) =>
        Explain(request, policies).Decision;

    /// <summary>The decision and which kind of policy made it; with <paramref name="matched"/>, every statement that
    /// applied (for IAM's policy simulator).</summary>
    public static EvaluationResult Explain(AuthorizationRequest request, ApplicablePolicies policies, List<MatchedStatement>? matched = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        var crossAccount = request.ResourceAccount is { } owner && owner != request.PrincipalAccount;
        var identity = Decide(policies.Identity, PolicySource.Identity, request, principalMatters: false, true, matched);
        var resource = policies.Resource is { } r ? Decide([r], PolicySource.Resource, request, principalMatters: true, crossAccount, matched) : Effect.None;
        var boundary = policies.PermissionsBoundary is { } b ? Decide([b], PolicySource.PermissionsBoundary, request, principalMatters: false, true, matched) : Effect.Allow;
        var session = policies.Session is { } s ? Decide(s, PolicySource.Session, request, principalMatters: false, true, matched) : Effect.Allow;

        if (identity == Effect.Deny) return new(PolicyDecision.ExplicitDeny, PolicySource.Identity);
        if (resource == Effect.Deny) return new(PolicyDecision.ExplicitDeny, PolicySource.Resource);
        if (boundary == Effect.Deny) return new(PolicyDecision.ExplicitDeny, PolicySource.PermissionsBoundary);
        if (session == Effect.Deny) return new(PolicyDecision.ExplicitDeny, PolicySource.Session);
        if (crossAccount)
        {
            if (identity != Effect.Allow) return new(PolicyDecision.ImplicitDeny, PolicySource.Identity);
            if (resource != Effect.Allow) return new(PolicyDecision.ImplicitDeny, PolicySource.Resource);
        }
        // Within an account, a resource policy that names the principal grants on its own (boundaries and session
        // policies do not cap it when it names the principal itself, as AWS documents for IAM users and role sessions).
        else if (resource == Effect.Allow) return new(PolicyDecision.Allow, null);
        else if (identity != Effect.Allow) return new(PolicyDecision.ImplicitDeny, PolicySource.Identity);
        if (boundary != Effect.Allow) return new(PolicyDecision.ImplicitDeny, PolicySource.PermissionsBoundary);
        if (session != Effect.Allow) return new(PolicyDecision.ImplicitDeny, PolicySource.Session);
        return new(PolicyDecision.Allow, null);
    }

    private enum Effect { None, Allow, Deny }

    /// <summary>Deny when any matching statement denies, else Allow when one allows, else None.</summary>
    private static Effect Decide(IReadOnlyList<PolicyDocument> documents, PolicySource kind, AuthorizationRequest request, bool principalMatters,
        bool accountGrants, List<MatchedStatement>? matched)
    {
        var allowed = false;
        var denied = false;
        for (var d = 0; d < documents.Count; d++)
            foreach (var statement in documents[d].Statements)
            {
                var deny = statement.Effect == PolicyEffect.Deny;
                // A statement naming the caller's own account delegates to its IAM policies rather than granting.
                if (!StatementMatcher.Applies(statement, request, principalMatters, accountGrants || deny)) continue;
                if (matched is null && deny) return Effect.Deny;
                matched?.Add(new MatchedStatement(kind, d, statement));
                if (deny) denied = true;
                else allowed = true;
            }
        return denied ? Effect.Deny : allowed ? Effect.Allow : Effect.None;
    }
}

/// <summary>Where a policy comes from.</summary>
public enum PolicySource { Identity, Resource, PermissionsBoundary, Session }

/// <summary>The decision; <see cref="By"/> is the kind of policy that denied (explicitly, or by allowing nothing).</summary>
public readonly record struct EvaluationResult(PolicyDecision Decision, PolicySource? By);

/// <summary>A statement that applied to the request: its policy kind and the document's index among that kind's.</summary>
public sealed record MatchedStatement(PolicySource Source, int DocumentIndex, PolicyStatement Statement);
