using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private const int TrustPolicySizeQuota = 2048;

    private IEnumerable<(string, Handler)> RoleHandlers() =>
    [
        ("CreateRole", CreateRole),
        ("GetRole", GetRole),
        ("ListRoles", ListRoles),
        ("UpdateRole", UpdateRole),
        ("UpdateRoleDescription", UpdateRoleDescription),
        ("UpdateAssumeRolePolicy", UpdateAssumeRolePolicy),
        ("DeleteRole", DeleteRole),
        ("PutRolePermissionsBoundary", PutRolePermissionsBoundary),
        ("DeleteRolePermissionsBoundary", DeleteRolePermissionsBoundary),
        ("CreateServiceLinkedRole", CreateServiceLinkedRole),
        ("DeleteServiceLinkedRole", DeleteServiceLinkedRole),
        ("GetServiceLinkedRoleDeletionStatus", GetServiceLinkedRoleDeletionStatus),
    ];

    private Dictionary<string, object?> CreateRole(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "RoleName");
        var trust = Required(input, "AssumeRolePolicyDocument");
        ValidateTrustPolicy(trust);
        var tags = IamTags.Read(input);
        var boundary = input.GetString("PermissionsBoundary") is { } b ? AttachablePolicy(ctx, b).Arn : null;
        if (_store.Roles.Get(Scope(ctx), name) is not null) throw IamErrors.AlreadyExists($"Role with name {name} already exists.");
        var path = PathOf(input);
        var role = new RoleRecord
        {
            RoleName = name,
            RoleId = AccessKeys.NewUniqueId("AROA"),
            Path = path,
            Arn = Arn(ctx, "role", path, name),
            CreateDate = ctx.Now,
            AssumeRolePolicyDocument = trust,
            Description = input.GetString("Description"),
            MaxSessionDuration = input.GetInt("MaxSessionDuration") ?? 3600,
            PermissionsBoundary = boundary,
            Tags = tags,
        };
        _store.Roles.Put(Scope(ctx), name, role);
        return new Dictionary<string, object?> { ["Role"] = RoleOut(role) };
    });

    private Dictionary<string, object?> GetRole(RequestContext ctx, Dictionary<string, object?> input) =>
        new() { ["Role"] = RoleOut(Role(ctx, Required(input, "RoleName")), detailed: true) };

    private Dictionary<string, object?> ListRoles(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(UnderPath(_store.Roles.All(Scope(ctx)), r => r.Path, input), r => EntityTable<RoleRecord>.Key(r.RoleName), input, "Roles",
            r => RoleOut(r, listing: true));

    private Dictionary<string, object?> UpdateRole(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = ModifiableRole(ctx, Required(input, "RoleName"));
        _store.Roles.Put(Scope(ctx), role.RoleName, role with
        {
            Description = input.GetString("Description") ?? role.Description,
            MaxSessionDuration = input.GetInt("MaxSessionDuration") ?? role.MaxSessionDuration,
        });
        return Empty();
    });

    private Dictionary<string, object?> UpdateRoleDescription(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = Role(ctx, Required(input, "RoleName")) with { Description = Required(input, "Description") };
        _store.Roles.Put(Scope(ctx), role.RoleName, role);
        return new Dictionary<string, object?> { ["Role"] = RoleOut(role, detailed: true) };
    });

    private Dictionary<string, object?> UpdateAssumeRolePolicy(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = ModifiableRole(ctx, Required(input, "RoleName"));
        var trust = Required(input, "PolicyDocument");
        ValidateTrustPolicy(trust);
        _store.Roles.Put(Scope(ctx), role.RoleName, role with { AssumeRolePolicyDocument = trust });
        return Empty();
    });

    private Dictionary<string, object?> DeleteRole(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = ModifiableRole(ctx, Required(input, "RoleName"));
        RemoveRole(ctx, role);
        return Empty();
    });

    private void RemoveRole(RequestContext ctx, RoleRecord role)
    {
        if (_store.InstanceProfiles.All(Scope(ctx)).Any(p => p.Roles.Contains(role.RoleName)))
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        if (role.AttachedPolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        if (role.InlinePolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        _store.Roles.Delete(Scope(ctx), role.RoleName);
    }

    private Dictionary<string, object?> PutRolePermissionsBoundary(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = ModifiableRole(ctx, Required(input, "RoleName"));
        var policy = AttachablePolicy(ctx, Required(input, "PermissionsBoundary"));
        _store.Roles.Put(Scope(ctx), role.RoleName, role with { PermissionsBoundary = policy.Arn });
        return Empty();
    });

    private Dictionary<string, object?> DeleteRolePermissionsBoundary(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = ModifiableRole(ctx, Required(input, "RoleName"));
        _store.Roles.Put(Scope(ctx), role.RoleName, role with { PermissionsBoundary = null });
        return Empty();
    });

    private Dictionary<string, object?> CreateServiceLinkedRole(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var service = Required(input, "AWSServiceName");
        if (!service.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            throw IamErrors.InvalidInput($"Invalid service name: {service}");
        var name = ServiceLinkedRoles.RoleName(service, input.GetString("CustomSuffix"));
        if (_store.Roles.Get(Scope(ctx), name) is not null)
            throw IamErrors.InvalidInput($"Service role name {name} has been taken in this account, please try a different suffix.");
        var path = $"/aws-service-role/{service}/";
        var role = new RoleRecord
        {
            RoleName = name,
            RoleId = AccessKeys.NewUniqueId("AROA"),
            Path = path,
            Arn = Arn(ctx, "role", path, name),
            CreateDate = ctx.Now,
            AssumeRolePolicyDocument = ServiceLinkedRoles.TrustPolicy(service),
            Description = input.GetString("Description"),
            LinkedService = service,
        };
        _store.Roles.Put(Scope(ctx), name, role);
        return new Dictionary<string, object?> { ["Role"] = RoleOut(role) };
    });

    // Deletion is immediate in Nephele, so every task it hands out has succeeded when asked about.
    private Dictionary<string, object?> DeleteServiceLinkedRole(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var role = Role(ctx, Required(input, "RoleName"));
        if (role.LinkedService is null) throw IamErrors.InvalidInput($"Role {role.RoleName} is not a service-linked role.");
        role = role with { AttachedPolicies = [], InlinePolicies = [] };
        RemoveRole(ctx, role);
        return new Dictionary<string, object?> { ["DeletionTaskId"] = $"task/aws-service-role/{role.LinkedService}/{role.RoleName}/{Guid.NewGuid()}" };
    });

    private Dictionary<string, object?> GetServiceLinkedRoleDeletionStatus(RequestContext ctx, Dictionary<string, object?> input)
    {
        var task = Required(input, "DeletionTaskId");
        if (!task.StartsWith("task/aws-service-role/", StringComparison.Ordinal) || task.Split('/').Length != 5)
            throw IamErrors.InvalidInput("Invalid deletion task id.");
        return new() { ["Status"] = "SUCCEEDED" };
    }

    private RoleRecord Role(RequestContext ctx, string name) => _store.Roles.Get(Scope(ctx), name) ?? throw IamErrors.NoSuchRole(name);

    /// <summary>A role the caller may change: service-linked roles belong to their service.</summary>
    private RoleRecord ModifiableRole(RequestContext ctx, string name)
    {
        var role = Role(ctx, name);
        return role.LinkedService is null ? role : throw IamErrors.ProtectedRole(role.RoleName);
    }

    private static void ValidateTrustPolicy(string document)
    {
        ValidatePolicy(document, PolicyKind.Trust);
        if (PolicyValidation.Size(document) > TrustPolicySizeQuota)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for ACLSizePerRole: {TrustPolicySizeQuota}");
    }

    // ListRoles leaves out tags, the permissions boundary and last use, as IAM does.
    private static Dictionary<string, object?> RoleOut(RoleRecord role, bool detailed = false, bool listing = false) => new()
    {
        ["Path"] = role.Path,
        ["RoleName"] = role.RoleName,
        ["RoleId"] = role.RoleId,
        ["Arn"] = role.Arn,
        ["CreateDate"] = role.CreateDate,
        ["AssumeRolePolicyDocument"] = Encoded(role.AssumeRolePolicyDocument),
        ["Description"] = role.Description,
        ["MaxSessionDuration"] = (long)role.MaxSessionDuration,
        ["PermissionsBoundary"] = listing ? null : Boundary(role.PermissionsBoundary),
        ["Tags"] = listing ? null : IamTags.WriteOrNull(role.Tags),
        ["RoleLastUsed"] = detailed ? new Dictionary<string, object?>() : null,
    };
}
