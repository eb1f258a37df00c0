using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private const int AttachedPoliciesQuota = 10;

    private IEnumerable<(string, Handler)> AttachmentHandlers() =>
    [
        ("AttachUserPolicy", (ctx, input) => Attach(ctx, input, "User", attach: true)),
        ("DetachUserPolicy", (ctx, input) => Attach(ctx, input, "User", attach: false)),
        ("AttachGroupPolicy", (ctx, input) => Attach(ctx, input, "Group", attach: true)),
        ("DetachGroupPolicy", (ctx, input) => Attach(ctx, input, "Group", attach: false)),
        ("AttachRolePolicy", (ctx, input) => Attach(ctx, input, "Role", attach: true)),
        ("DetachRolePolicy", (ctx, input) => Attach(ctx, input, "Role", attach: false)),
        ("ListAttachedUserPolicies", (ctx, input) => ListAttached(ctx, input, User(ctx, Required(input, "UserName")).AttachedPolicies)),
        ("ListAttachedGroupPolicies", (ctx, input) => ListAttached(ctx, input, Group(ctx, Required(input, "GroupName")).AttachedPolicies)),
        ("ListAttachedRolePolicies", (ctx, input) => ListAttached(ctx, input, Role(ctx, Required(input, "RoleName")).AttachedPolicies)),
        ("ListEntitiesForPolicy", ListEntitiesForPolicy),
    ];

    /// <summary>Attaches or detaches a managed policy to a user, group or role (the kind names the input member).</summary>
    private Dictionary<string, object?> Attach(RequestContext ctx, Dictionary<string, object?> input, string kind, bool attach) => _store.Transaction(() =>
    {
        var name = Required(input, kind + "Name");
        var arn = Required(input, "PolicyArn");
        var attached = kind switch
        {
            "User" => User(ctx, name).AttachedPolicies,
            "Group" => Group(ctx, name).AttachedPolicies,
            _ => (attach ? ModifiableRole(ctx, name) : Role(ctx, name)).AttachedPolicies,
        };
        List<string> updated;
        if (attach)
        {
            var policy = AttachablePolicy(ctx, arn);
            if (attached.Contains(policy.Arn)) return Empty();
            if (attached.Count >= AttachedPoliciesQuota)
                throw IamErrors.LimitExceeded($"Cannot exceed quota for PoliciesPer{kind}: {AttachedPoliciesQuota}");
            updated = [.. attached, policy.Arn];
        }
        else
        {
            if (!attached.Contains(arn)) throw IamErrors.NoSuchEntity($"Policy {arn} was not found.");
            updated = attached.Where(a => a != arn).ToList();
        }
        switch (kind)
        {
            case "User": _store.Users.Put(Scope(ctx), name, User(ctx, name) with { AttachedPolicies = updated }); break;
            case "Group": _store.Groups.Put(Scope(ctx), name, Group(ctx, name) with { AttachedPolicies = updated }); break;
            default: _store.Roles.Put(Scope(ctx), name, Role(ctx, name) with { AttachedPolicies = updated }); break;
        }
        return Empty();
    });

    private Dictionary<string, object?> ListAttached(RequestContext ctx, Dictionary<string, object?> input, List<string> arns)
    {
        var policies = arns.Select(a => FindPolicy(ctx, a)).OfType<PolicyRecord>();
        policies = UnderPath(policies, p => p.Path, input);
        return Page(policies.OrderBy(p => p.PolicyName, StringComparer.Ordinal), p => p.PolicyName, input, "AttachedPolicies", AttachedOut);
    }

    private Dictionary<string, object?> ListEntitiesForPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = Policy(ctx, Required(input, "PolicyArn"));
        var filter = input.GetString("EntityFilter");
        var usage = input.GetString("PolicyUsageFilter");
        bool Uses(List<string> attached, string? boundary) => usage switch
        {
            "PermissionsPolicy" => attached.Contains(policy.Arn),
            "PermissionsBoundary" => boundary == policy.Arn,
            _ => attached.Contains(policy.Arn) || boundary == policy.Arn,
        };
        bool Wanted(string kind) => filter is null or "LocalManagedPolicy" or "AWSManagedPolicy" || filter == kind;
        // One listing in entity order (groups, roles, users), so a marker can resume across the three lists.
        var entities = new List<(string Key, string Kind, string Name, string Id, string Path)>();
        if (Wanted("Group"))
            entities.AddRange(_store.Groups.All(Scope(ctx)).Where(g => Uses(g.AttachedPolicies, null))
                .Select(g => ($"1:{EntityTable<GroupRecord>.Key(g.GroupName)}", "Group", g.GroupName, g.GroupId, g.Path)));
        if (Wanted("Role"))
            entities.AddRange(_store.Roles.All(Scope(ctx)).Where(r => Uses(r.AttachedPolicies, r.PermissionsBoundary))
                .Select(r => ($"2:{EntityTable<RoleRecord>.Key(r.RoleName)}", "Role", r.RoleName, r.RoleId, r.Path)));
        if (Wanted("User"))
            entities.AddRange(_store.Users.All(Scope(ctx)).Where(u => Uses(u.AttachedPolicies, u.PermissionsBoundary))
                .Select(u => ($"3:{EntityTable<UserRecord>.Key(u.UserName)}", "User", u.UserName, u.UserId, u.Path)));
        var page = Page(UnderPath(entities, e => e.Path, input), e => e.Key, input, "Entities", e => e);
        var listed = ((List<object?>)page["Entities"]!).Cast<(string Key, string Kind, string Name, string Id, string Path)>().ToList();
        List<object?> Of(string kind) => listed.Where(e => e.Kind == kind)
            .Select(e => (object?)new Dictionary<string, object?> { [kind + "Name"] = e.Name, [kind + "Id"] = e.Id }).ToList();
        return new()
        {
            ["PolicyGroups"] = Of("Group"),
            ["PolicyUsers"] = Of("User"),
            ["PolicyRoles"] = Of("Role"),
            ["IsTruncated"] = page["IsTruncated"],
            ["Marker"] = page["Marker"],
        };
    }

    private static Dictionary<string, object?> AttachedOut(PolicyRecord policy) => new()
    {
        ["PolicyName"] = policy.PolicyName,
        ["PolicyArn"] = policy.Arn,
    };
}
