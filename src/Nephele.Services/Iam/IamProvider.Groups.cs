using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private const int GroupsPerUser = 10;

    private IEnumerable<(string, Handler)> GroupHandlers() =>
    [
        ("CreateGroup", CreateGroup),
        ("GetGroup", GetGroup),
        ("ListGroups", ListGroups),
        ("UpdateGroup", UpdateGroup),
        ("DeleteGroup", DeleteGroup),
        ("AddUserToGroup", AddUserToGroup),
        ("RemoveUserFromGroup", RemoveUserFromGroup),
        ("ListGroupsForUser", ListGroupsForUser),
    ];

    private Dictionary<string, object?> CreateGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "GroupName");
        var path = PathOf(input);
        if (_store.Groups.Get(Scope(ctx), name) is not null) throw IamErrors.AlreadyExists($"Group with name {name} already exists.");
        var group = new GroupRecord
        {
            GroupName = name,
            GroupId = AccessKeys.NewUniqueId("AGPA"),
            Path = path,
            Arn = Arn(ctx, "group", path, name),
            CreateDate = ctx.Now,
        };
        _store.Groups.Put(Scope(ctx), name, group);
        return new Dictionary<string, object?> { ["Group"] = GroupOut(group) };
    });

    private Dictionary<string, object?> GetGroup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var group = Group(ctx, Required(input, "GroupName"));
        var output = Page(Members(ctx, group), u => EntityTable<UserRecord>.Key(u.UserName), input, "Users", u => UserOut(u, listing: true));
        output["Group"] = GroupOut(group);
        return output;
    }

    private Dictionary<string, object?> ListGroups(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(UnderPath(_store.Groups.All(Scope(ctx)), g => g.Path, input), g => EntityTable<GroupRecord>.Key(g.GroupName), input, "Groups", GroupOut);

    private Dictionary<string, object?> UpdateGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = Group(ctx, Required(input, "GroupName"));
        var newName = input.GetString("NewGroupName") ?? group.GroupName;
        var newPath = input.GetString("NewPath") ?? group.Path;
        if (!string.Equals(newName, group.GroupName, StringComparison.OrdinalIgnoreCase) && _store.Groups.Get(Scope(ctx), newName) is not null)
            throw IamErrors.AlreadyExists($"Group with name {newName} already exists.");
        foreach (var user in Members(ctx, group))
            _store.Users.Put(Scope(ctx), user.UserName, user with { Groups = user.Groups.Select(g => g == group.GroupName ? newName : g).ToList() });
        _store.Groups.Delete(Scope(ctx), group.GroupName);
        _store.Groups.Put(Scope(ctx), newName, group with { GroupName = newName, Path = newPath, Arn = Arn(ctx, "group", newPath, newName) });
        return Empty();
    });

    private Dictionary<string, object?> DeleteGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = Group(ctx, Required(input, "GroupName"));
        if (Members(ctx, group).Any()) throw IamErrors.DeleteConflict("Cannot delete entity, must remove users from group first.");
        if (group.AttachedPolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        if (group.InlinePolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        _store.Groups.Delete(Scope(ctx), group.GroupName);
        return Empty();
    });

    private Dictionary<string, object?> AddUserToGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = Group(ctx, Required(input, "GroupName"));
        var user = User(ctx, Required(input, "UserName"));
        if (user.Groups.Contains(group.GroupName)) return Empty();
        if (user.Groups.Count >= GroupsPerUser) throw IamErrors.LimitExceeded($"Cannot exceed quota for GroupsPerUser: {GroupsPerUser}");
        _store.Users.Put(Scope(ctx), user.UserName, user with { Groups = [.. user.Groups, group.GroupName] });
        return Empty();
    });

    private Dictionary<string, object?> RemoveUserFromGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = Group(ctx, Required(input, "GroupName"));
        var user = User(ctx, Required(input, "UserName"));
        if (!user.Groups.Contains(group.GroupName)) throw IamErrors.NoSuchUser(user.UserName);
        _store.Users.Put(Scope(ctx), user.UserName, user with { Groups = user.Groups.Where(g => g != group.GroupName).ToList() });
        return Empty();
    });

    private Dictionary<string, object?> ListGroupsForUser(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = User(ctx, Required(input, "UserName"));
        var groups = user.Groups.Select(g => _store.Groups.Get(Scope(ctx), g)).OfType<GroupRecord>()
            .OrderBy(g => EntityTable<GroupRecord>.Key(g.GroupName), StringComparer.Ordinal);
        return Page(groups, g => EntityTable<GroupRecord>.Key(g.GroupName), input, "Groups", GroupOut);
    }

    private GroupRecord Group(RequestContext ctx, string name) => _store.Groups.Get(Scope(ctx), name) ?? throw IamErrors.NoSuchGroup(name);

    private IEnumerable<UserRecord> Members(RequestContext ctx, GroupRecord group) =>
        _store.Users.All(Scope(ctx)).Where(u => u.Groups.Contains(group.GroupName)).ToList();

    private static Dictionary<string, object?> GroupOut(GroupRecord group) => new()
    {
        ["Path"] = group.Path,
        ["GroupName"] = group.GroupName,
        ["GroupId"] = group.GroupId,
        ["Arn"] = group.Arn,
        ["CreateDate"] = group.CreateDate,
    };
}
