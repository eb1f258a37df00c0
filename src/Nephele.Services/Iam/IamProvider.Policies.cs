using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private const int ManagedPolicySizeQuota = 6144;
    private const int VersionsPerPolicy = 5;

    private IEnumerable<(string, Handler)> PolicyHandlers() =>
    [
        ("CreatePolicy", CreatePolicy),
        ("GetPolicy", GetPolicy),
        ("ListPolicies", ListPolicies),
        ("DeletePolicy", DeletePolicy),
        ("CreatePolicyVersion", CreatePolicyVersion),
        ("GetPolicyVersion", GetPolicyVersion),
        ("ListPolicyVersions", ListPolicyVersions),
        ("DeletePolicyVersion", DeletePolicyVersion),
        ("SetDefaultPolicyVersion", SetDefaultPolicyVersion),
    ];

    private Dictionary<string, object?> CreatePolicy(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "PolicyName");
        var document = Required(input, "PolicyDocument");
        ValidateManagedPolicy(document);
        var tags = IamTags.Read(input);
        if (_store.Policies.Get(Scope(ctx), name) is not null)
            throw IamErrors.AlreadyExists($"A policy called {name} already exists. Duplicate names are not allowed.");
        var path = PathOf(input);
        var policy = new PolicyRecord
        {
            PolicyName = name,
            PolicyId = AccessKeys.NewUniqueId("ANPA"),
            Path = path,
            Arn = Arn(ctx, "policy", path, name),
            Description = input.GetString("Description"),
            CreateDate = ctx.Now,
            UpdateDate = ctx.Now,
            DefaultVersionId = "v1",
            Versions = [new PolicyVersionRecord("v1", document, ctx.Now)],
            Tags = tags,
        };
        _store.Policies.Put(Scope(ctx), name, policy);
        return new Dictionary<string, object?> { ["Policy"] = PolicyOut(policy, (0, 0), IamTags.WriteOrNull(policy.Tags)) };
    });

    private Dictionary<string, object?> GetPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = Policy(ctx, Required(input, "PolicyArn"));
        var output = PolicyOut(policy, AttachmentCounts(ctx).GetValueOrDefault(policy.Arn), IamTags.WriteOrNull(policy.Tags));
        output["Description"] = policy.Description;
        return new() { ["Policy"] = output };
    }

    private Dictionary<string, object?> ListPolicies(RequestContext ctx, Dictionary<string, object?> input)
    {
        var scope = input.GetString("Scope") ?? "All";
        var counts = AttachmentCounts(ctx);
        IEnumerable<PolicyRecord> policies = [];
        if (scope is "All" or "AWS") policies = policies.Concat(AwsManagedPolicies.ByArn.Values);
        if (scope is "All" or "Local") policies = policies.Concat(_store.Policies.All(Scope(ctx)));
        policies = UnderPath(policies, p => p.Path, input);
        if (input.GetBool("OnlyAttached") == true) policies = policies.Where(p => InUse(counts.GetValueOrDefault(p.Arn)));
        policies = input.GetString("PolicyUsageFilter") switch
        {
            "PermissionsPolicy" => policies.Where(p => counts.GetValueOrDefault(p.Arn).Attachments > 0),
            "PermissionsBoundary" => policies.Where(p => counts.GetValueOrDefault(p.Arn).Boundaries > 0),
            _ => policies,
        };
        return Page(policies.OrderBy(p => p.Arn, StringComparer.Ordinal), p => p.Arn, input, "Policies",
            p => PolicyOut(p, counts.GetValueOrDefault(p.Arn), null));
    }

    private Dictionary<string, object?> DeletePolicy(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var policy = CustomerPolicy(ctx, Required(input, "PolicyArn"), "DeletePolicy");
        if (InUse(AttachmentCounts(ctx).GetValueOrDefault(policy.Arn)))
            throw IamErrors.DeleteConflict("Cannot delete a policy attached to entities.");
        if (policy.Versions.Count > 1)
            throw IamErrors.DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        _store.Policies.Delete(Scope(ctx), policy.PolicyName);
        return Empty();
    });

    private Dictionary<string, object?> CreatePolicyVersion(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var policy = CustomerPolicy(ctx, Required(input, "PolicyArn"), "CreatePolicyVersion");
        var document = Required(input, "PolicyDocument");
        ValidateManagedPolicy(document);
        if (policy.Versions.Count >= VersionsPerPolicy)
            throw IamErrors.LimitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
        var version = new PolicyVersionRecord($"v{policy.NextVersion}", document, ctx.Now);
        var asDefault = input.GetBool("SetAsDefault") == true;
        policy = policy with
        {
            Versions = [.. policy.Versions, version],
            NextVersion = policy.NextVersion + 1,
            DefaultVersionId = asDefault ? version.VersionId : policy.DefaultVersionId,
            UpdateDate = asDefault ? ctx.Now : policy.UpdateDate,
        };
        _store.Policies.Put(Scope(ctx), policy.PolicyName, policy);
        return new Dictionary<string, object?> { ["PolicyVersion"] = VersionOut(policy, version, withDocument: false) };
    });

    private Dictionary<string, object?> GetPolicyVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = Policy(ctx, Required(input, "PolicyArn"));
        return new() { ["PolicyVersion"] = VersionOut(policy, Version(policy, Required(input, "VersionId")), withDocument: true) };
    }

    private Dictionary<string, object?> ListPolicyVersions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = Policy(ctx, Required(input, "PolicyArn"));
        // Newest first, as IAM lists them; the marker is the position.
        var versions = policy.Versions.AsEnumerable().Reverse().Select((v, i) => (v, i)).ToList();
        return Page(versions, x => x.i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), input, "Versions",
            x => VersionOut(policy, x.v, withDocument: false));
    }

    private Dictionary<string, object?> DeletePolicyVersion(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var policy = CustomerPolicy(ctx, Required(input, "PolicyArn"), "DeletePolicyVersion");
        var version = Version(policy, Required(input, "VersionId"));
        if (version.VersionId == policy.DefaultVersionId) throw IamErrors.DeleteConflict("Cannot delete the default version of a policy.");
        _store.Policies.Put(Scope(ctx), policy.PolicyName, policy with { Versions = policy.Versions.Where(v => v != version).ToList() });
        return Empty();
    });

    private Dictionary<string, object?> SetDefaultPolicyVersion(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var policy = CustomerPolicy(ctx, Required(input, "PolicyArn"), "SetDefaultPolicyVersion");
        var version = Version(policy, Required(input, "VersionId"));
        _store.Policies.Put(Scope(ctx), policy.PolicyName, policy with { DefaultVersionId = version.VersionId, UpdateDate = ctx.Now });
        return Empty();
    });

    /// <summary>An AWS managed policy or one of the account's, by ARN; else NoSuchEntity with GetPolicy's message.</summary>
    private PolicyRecord Policy(RequestContext ctx, string arn) =>
        FindPolicy(ctx, arn) ?? throw IamErrors.NoSuchEntity($"Policy {arn} was not found.");

    /// <summary>A policy that may be attached (or used as a permissions boundary).</summary>
    private PolicyRecord AttachablePolicy(RequestContext ctx, string arn) =>
        FindPolicy(ctx, arn) ?? throw IamErrors.NoSuchEntity($"Policy {arn} does not exist or is not attachable.");

    private PolicyRecord? FindPolicy(RequestContext ctx, string arn) => FindPolicy(ctx.AccountId, arn);

    private PolicyRecord? FindPolicy(string account, string arn)
    {
        if (AwsManagedPolicies.Find(arn) is { } aws) return aws;
        var prefix = $"arn:aws:iam::{account}:policy/";
        if (!arn.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var policy = _store.Policies.Get(Nephele.Core.State.Scope.Global(account), arn[(arn.LastIndexOf('/') + 1)..]);
        return policy?.Arn == arn ? policy : null;
    }

    /// <summary>A policy of the account's own; AWS managed policies are read-only to every account.</summary>
    private PolicyRecord CustomerPolicy(RequestContext ctx, string arn, string action)
    {
        var policy = Policy(ctx, arn);
        if (policy.AwsManaged)
            throw new AwsException("AccessDenied", $"User: {ctx.Caller.Arn} is not authorized to perform: iam:{action} on resource: policy {arn}", 403);
        return policy;
    }

    private static PolicyVersionRecord Version(PolicyRecord policy, string versionId) =>
        policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
        ?? throw IamErrors.NoSuchEntity($"Policy {policy.Arn} version {versionId} does not exist or is not attachable.");

    private static void ValidateManagedPolicy(string document)
    {
        ValidatePolicy(document, PolicyKind.Identity);
        if (PolicyValidation.Size(document) > ManagedPolicySizeQuota)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for PolicySize: {ManagedPolicySizeQuota}");
    }

    /// <summary>How many users, groups and roles use each policy, as permissions and as a permissions boundary.</summary>
    private Dictionary<string, (int Attachments, int Boundaries)> AttachmentCounts(RequestContext ctx)
    {
        var counts = new Dictionary<string, (int Attachments, int Boundaries)>(StringComparer.Ordinal);
        void Count(IEnumerable<string> attached, string? boundary)
        {
            foreach (var arn in attached)
            {
                var c = counts.GetValueOrDefault(arn);
                counts[arn] = (c.Attachments + 1, c.Boundaries);
            }
            if (boundary is null) return;
            var b = counts.GetValueOrDefault(boundary);
            counts[boundary] = (b.Attachments, b.Boundaries + 1);
        }
        foreach (var u in _store.Users.All(Scope(ctx))) Count(u.AttachedPolicies, u.PermissionsBoundary);
        foreach (var g in _store.Groups.All(Scope(ctx))) Count(g.AttachedPolicies, null);
        foreach (var r in _store.Roles.All(Scope(ctx))) Count(r.AttachedPolicies, r.PermissionsBoundary);
        return counts;
    }

    private static bool InUse((int Attachments, int Boundaries) counts) => counts.Attachments + counts.Boundaries > 0;

    private static Dictionary<string, object?> PolicyOut(PolicyRecord policy, (int Attachments, int Boundaries) counts, List<object?>? tags) => new()
    {
        ["PolicyName"] = policy.PolicyName,
        ["PolicyId"] = policy.PolicyId,
        ["Arn"] = policy.Arn,
        ["Path"] = policy.Path,
        ["DefaultVersionId"] = policy.DefaultVersionId,
        ["AttachmentCount"] = (long)counts.Attachments,
        ["PermissionsBoundaryUsageCount"] = (long)counts.Boundaries,
        ["IsAttachable"] = true,
        ["CreateDate"] = policy.CreateDate,
        ["UpdateDate"] = policy.UpdateDate,
        ["Tags"] = tags,
    };

    private static Dictionary<string, object?> VersionOut(PolicyRecord policy, PolicyVersionRecord version, bool withDocument) => new()
    {
        ["Document"] = withDocument ? Encoded(version.Document) : null,
        ["VersionId"] = version.VersionId,
        ["IsDefaultVersion"] = version.VersionId == policy.DefaultVersionId,
        ["CreateDate"] = version.CreateDate,
    };
}
