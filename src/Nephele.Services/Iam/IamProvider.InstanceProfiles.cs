using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> InstanceProfileHandlers() =>
    [
        ("CreateInstanceProfile", CreateInstanceProfile),
        ("GetInstanceProfile", GetInstanceProfile),
        ("ListInstanceProfiles", ListInstanceProfiles),
        ("DeleteInstanceProfile", DeleteInstanceProfile),
        ("AddRoleToInstanceProfile", AddRoleToInstanceProfile),
        ("RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfile),
        ("ListInstanceProfilesForRole", ListInstanceProfilesForRole),
    ];

    private Dictionary<string, object?> CreateInstanceProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "InstanceProfileName");
        var tags = IamTags.Read(input);
        if (_store.InstanceProfiles.Get(Scope(ctx), name) is not null) throw IamErrors.AlreadyExists($"Instance Profile {name} already exists.");
        var path = PathOf(input);
        var profile = new InstanceProfileRecord
        {
            InstanceProfileName = name,
            InstanceProfileId = AccessKeys.NewUniqueId("AIPA"),
            Path = path,
            Arn = Arn(ctx, "instance-profile", path, name),
            CreateDate = ctx.Now,
            Tags = tags,
        };
        _store.InstanceProfiles.Put(Scope(ctx), name, profile);
        return new Dictionary<string, object?> { ["InstanceProfile"] = InstanceProfileOut(ctx, profile) };
    });

    private Dictionary<string, object?> GetInstanceProfile(RequestContext ctx, Dictionary<string, object?> input) =>
        new() { ["InstanceProfile"] = InstanceProfileOut(ctx, InstanceProfile(ctx, Required(input, "InstanceProfileName"))) };

    private Dictionary<string, object?> ListInstanceProfiles(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(UnderPath(_store.InstanceProfiles.All(Scope(ctx)), p => p.Path, input), p => EntityTable<InstanceProfileRecord>.Key(p.InstanceProfileName),
            input, "InstanceProfiles", p => InstanceProfileOut(ctx, p));

    private Dictionary<string, object?> DeleteInstanceProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var profile = InstanceProfile(ctx, Required(input, "InstanceProfileName"));
        if (profile.Roles.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        _store.InstanceProfiles.Delete(Scope(ctx), profile.InstanceProfileName);
        return Empty();
    });

    private Dictionary<string, object?> AddRoleToInstanceProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var profile = InstanceProfile(ctx, Required(input, "InstanceProfileName"));
        var role = Role(ctx, Required(input, "RoleName"));
        if (profile.Roles.Contains(role.RoleName)) throw IamErrors.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        if (profile.Roles.Count >= 1) throw IamErrors.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        _store.InstanceProfiles.Put(Scope(ctx), profile.InstanceProfileName, profile with { Roles = [role.RoleName] });
        return Empty();
    });

    private Dictionary<string, object?> RemoveRoleFromInstanceProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var profile = InstanceProfile(ctx, Required(input, "InstanceProfileName"));
        var roleName = Required(input, "RoleName");
        var role = Role(ctx, roleName);
        if (!profile.Roles.Contains(role.RoleName)) throw IamErrors.NoSuchRole(roleName);
        _store.InstanceProfiles.Put(Scope(ctx), profile.InstanceProfileName, profile with { Roles = profile.Roles.Where(r => r != role.RoleName).ToList() });
        return Empty();
    });

    private Dictionary<string, object?> ListInstanceProfilesForRole(RequestContext ctx, Dictionary<string, object?> input)
    {
        var role = Role(ctx, Required(input, "RoleName"));
        return Page(_store.InstanceProfiles.All(Scope(ctx)).Where(p => p.Roles.Contains(role.RoleName)),
            p => EntityTable<InstanceProfileRecord>.Key(p.InstanceProfileName), input, "InstanceProfiles", p => InstanceProfileOut(ctx, p));
    }

    private InstanceProfileRecord InstanceProfile(RequestContext ctx, string name) =>
        _store.InstanceProfiles.Get(Scope(ctx), name) ?? throw IamErrors.NoSuchInstanceProfile(name);

    private Dictionary<string, object?> InstanceProfileOut(RequestContext ctx, InstanceProfileRecord profile) => new()
    {
        ["Path"] = profile.Path,
        ["InstanceProfileName"] = profile.InstanceProfileName,
        ["InstanceProfileId"] = profile.InstanceProfileId,
        ["Arn"] = profile.Arn,
        ["CreateDate"] = profile.CreateDate,
        ["Roles"] = profile.Roles.Select(r => _store.Roles.Get(Scope(ctx), r)).OfType<RoleRecord>().Select(r => (object?)RoleOut(r, listing: true)).ToList(),
        ["Tags"] = IamTags.WriteOrNull(profile.Tags),
    };
}
