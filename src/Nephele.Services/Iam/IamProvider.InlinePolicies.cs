using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    // The aggregate size of all inline policies of one identity (white space not counted).
    private const int UserPolicySizeQuota = 2048;
    private const int GroupPolicySizeQuota = 5120;
    private const int RolePolicySizeQuota = 10240;

    private IEnumerable<(string, Handler)> InlinePolicyHandlers() =>
    [
        ("PutUserPolicy", (ctx, input) => PutInline(ctx, input, "User")),
        ("PutGroupPolicy", (ctx, input) => PutInline(ctx, input, "Group")),
        ("PutRolePolicy", (ctx, input) => PutInline(ctx, input, "Role")),
        ("GetUserPolicy", (ctx, input) => GetInline(ctx, input, "User")),
        ("GetGroupPolicy", (ctx, input) => GetInline(ctx, input, "Group")),
        ("GetRolePolicy", (ctx, input) => GetInline(ctx, input, "Role")),
        ("DeleteUserPolicy", (ctx, input) => DeleteInline(ctx, input, "User")),
        ("DeleteGroupPolicy", (ctx, input) => DeleteInline(ctx, input, "Group")),
        ("DeleteRolePolicy", (ctx, input) => DeleteInline(ctx, input, "Role")),
        ("ListUserPolicies", (ctx, input) => ListInline(ctx, input, "User")),
        ("ListGroupPolicies", (ctx, input) => ListInline(ctx, input, "Group")),
        ("ListRolePolicies", (ctx, input) => ListInline(ctx, input, "Role")),
    ];

    private Dictionary<string, object?> PutInline(RequestContext ctx, Dictionary<string, object?> input, string kind) => _store.Transaction(() =>
    {
        var name = Required(input, kind + "Name");
        var policyName = Required(input, "PolicyName");
        var document = Required(input, "PolicyDocument");
        var existing = InlinePolicies(ctx, kind, name, forChange: true);
        ValidatePolicy(document, PolicyKind.Identity);
        var updated = existing.Where(p => p.PolicyName != policyName).Append(new InlinePolicy(policyName, document)).ToList();
        var quota = kind switch { "User" => UserPolicySizeQuota, "Group" => GroupPolicySizeQuota, _ => RolePolicySizeQuota };
        if (updated.Sum(p => PolicyValidation.Size(p.Document)) > quota)
            throw IamErrors.LimitExceeded($"Maximum policy size of {quota} bytes exceeded for {kind.ToLowerInvariant()} {name}");
        SaveInline(ctx, kind, name, updated);
        return Empty();
    });

    private Dictionary<string, object?> GetInline(RequestContext ctx, Dictionary<string, object?> input, string kind)
    {
        var name = Required(input, kind + "Name");
        var policyName = Required(input, "PolicyName");
        var policy = InlinePolicies(ctx, kind, name, forChange: false).FirstOrDefault(p => p.PolicyName == policyName)
            ?? throw NoSuchInline(kind, policyName);
        return new()
        {
            [kind + "Name"] = EntityName(ctx, kind, name),
            ["PolicyName"] = policy.PolicyName,
            ["PolicyDocument"] = Encoded(policy.Document),
        };
    }

    private Dictionary<string, object?> DeleteInline(RequestContext ctx, Dictionary<string, object?> input, string kind) => _store.Transaction(() =>
    {
        var name = Required(input, kind + "Name");
        var policyName = Required(input, "PolicyName");
        var existing = InlinePolicies(ctx, kind, name, forChange: true);
        if (!existing.Any(p => p.PolicyName == policyName)) throw NoSuchInline(kind, policyName);
        SaveInline(ctx, kind, name, existing.Where(p => p.PolicyName != policyName).ToList());
        return Empty();
    });

    private Dictionary<string, object?> ListInline(RequestContext ctx, Dictionary<string, object?> input, string kind)
    {
        var names = InlinePolicies(ctx, kind, Required(input, kind + "Name"), forChange: false)
            .Select(p => p.PolicyName).Order(StringComparer.Ordinal);
        return Page(names, n => n, input, "PolicyNames", n => n);
    }

    private List<InlinePolicy> InlinePolicies(RequestContext ctx, string kind, string name, bool forChange) => kind switch
    {
        "User" => User(ctx, name).InlinePolicies,
        "Group" => Group(ctx, name).InlinePolicies,
        _ => (forChange ? ModifiableRole(ctx, name) : Role(ctx, name)).InlinePolicies,
    };

    private string EntityName(RequestContext ctx, string kind, string name) => kind switch
    {
        "User" => User(ctx, name).UserName,
        "Group" => Group(ctx, name).GroupName,
        _ => Role(ctx, name).RoleName,
    };

    private void SaveInline(RequestContext ctx, string kind, string name, List<InlinePolicy> policies)
    {
        switch (kind)
        {
            case "User": _store.Users.Put(Scope(ctx), name, User(ctx, name) with { InlinePolicies = policies }); break;
            case "Group": _store.Groups.Put(Scope(ctx), name, Group(ctx, name) with { InlinePolicies = policies }); break;
            default: _store.Roles.Put(Scope(ctx), name, Role(ctx, name) with { InlinePolicies = policies }); break;
        }
    }

    private static AwsException NoSuchInline(string kind, string policyName) =>
        IamErrors.NoSuchEntity($"The {kind.ToLowerInvariant()} policy with name {policyName} cannot be found.");
}
