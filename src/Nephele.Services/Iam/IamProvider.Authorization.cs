using System.Collections.Concurrent;
using Nephele.Core.Auth;
using Nephele.Core.Policies;
using Nephele.Core.State;

namespace Nephele.Services.Iam;

/// <summary>
/// What --enforce-iam evaluates for a caller: an IAM user's own and its groups' policies, or an assumed role's
/// policies, each with its permissions boundary and tags.
/// </summary>
public sealed partial class IamProvider : IIdentityPolicySource
{
    private const string SessionMarker = ":assumed-role/";

    // Stored documents were validated when written; parsed once per distinct text.
    private readonly ConcurrentDictionary<string, PolicyDocument> _parsed = new(StringComparer.Ordinal);

    private readonly Sts.SessionPolicyStore _sessionPolicies = new(env.State);

    public PrincipalPolicies? PoliciesOf(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var principal = PrincipalPoliciesOf(caller);
        if (principal is null || caller.AccessKeyId.Length == 0 || !caller.AccessKeyId.StartsWith("ASIA", StringComparison.Ordinal)) return principal;
        // A session's requests are capped by the session policies it was created with.
        if (_sessionPolicies.Get(caller.AccountId, caller.AccessKeyId) is not { } session) return principal;
        var mfa = session.MultiFactorAuthTime;
        if (session.Policy is null && session.PolicyArns.Count == 0 && session.FederatedFrom is null)
            return mfa is null ? principal : new PrincipalPolicies { Policies = principal.Policies, Tags = principal.Tags, UserName = principal.UserName, MultiFactorAuthTime = mfa };
        var documents = session.PolicyArns.Select(a => FindPolicy(caller.AccountId, a)).OfType<PolicyRecord>().Select(p => Parse(p.DefaultVersion.Document)).ToList();
        if (session.Policy is { } inline) documents.Add(Parse(inline));
        return new PrincipalPolicies
        {
            Policies = new ApplicablePolicies
            {
                Identity = principal.Policies.Identity,
                PermissionsBoundary = principal.Policies.PermissionsBoundary,
                Session = documents,
            },
            Tags = principal.Tags,
            UserName = principal.UserName,
            MultiFactorAuthTime = mfa,
        };
    }

    private PrincipalPolicies? PrincipalPoliciesOf(CallerIdentity caller)
    {
        var account = caller.AccountId;
        var scope = Nephele.Core.State.Scope.Global(account);
        var arn = caller.Arn;
        if (arn.Contains(":user/", StringComparison.Ordinal))
        {
            var user = _store.Users.Get(scope, arn[(arn.LastIndexOf('/') + 1)..]);
            if (user is null || user.Arn != arn) return null;
            var documents = Documents(account, user.AttachedPolicies, user.InlinePolicies);
            foreach (var groupName in user.Groups)
                if (_store.Groups.Get(scope, groupName) is { } group)
                    documents.AddRange(Documents(account, group.AttachedPolicies, group.InlinePolicies));
            return Principal(account, documents, user.PermissionsBoundary, user.Tags, user.UserName);
        }
        var marker = arn.IndexOf(SessionMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            var rest = arn[(marker + SessionMarker.Length)..];
            var role = _store.Roles.Get(scope, rest[..Math.Max(0, rest.LastIndexOf('/'))]);
            if (role is null) return null;
            return Principal(account, Documents(account, role.AttachedPolicies, role.InlinePolicies), role.PermissionsBoundary, role.Tags, null);
        }
        // A federated user (GetFederationToken) starts from the permissions of the IAM user (or root) that made it.
        if (arn.Contains(":federated-user/", StringComparison.Ordinal) && _sessionPolicies.Get(account, caller.AccessKeyId)?.FederatedFrom is { } parent)
            return parent.EndsWith(":root", StringComparison.Ordinal)
                ? Principal(account, [Parse(AllowEverything)], null, [], null)
                : PrincipalPoliciesOf(caller with { Arn = parent });
        return null;
    }

    private PrincipalPolicies Principal(string account, List<PolicyDocument> documents, string? boundaryArn, List<TagRecord> tags, string? userName) => new()
    {
        Policies = new ApplicablePolicies
        {
            Identity = documents,
            PermissionsBoundary = boundaryArn is not null && FindPolicy(account, boundaryArn) is { } boundary ? Parse(boundary.DefaultVersion.Document) : null,
        },
        Tags = tags.ToDictionary(t => t.Key, t => t.Value),
        UserName = userName,
    };

    private List<PolicyDocument> Documents(string account, List<string> attached, List<InlinePolicy> inline)
    {
        var documents = new List<PolicyDocument>();
        foreach (var policyArn in attached)
            if (FindPolicy(account, policyArn) is { } policy)
                documents.Add(Parse(policy.DefaultVersion.Document));
        documents.AddRange(inline.Select(p => Parse(p.Document)));
        return documents;
    }

    private const string AllowEverything = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private PolicyDocument Parse(string document) => _parsed.GetOrAdd(document, PolicyDocument.Parse);
}
