using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> UserHandlers() =>
    [
        ("CreateUser", CreateUser),
        ("GetUser", GetUser),
        ("ListUsers", ListUsers),
        ("UpdateUser", UpdateUser),
        ("DeleteUser", DeleteUser),
        ("PutUserPermissionsBoundary", PutUserPermissionsBoundary),
        ("DeleteUserPermissionsBoundary", DeleteUserPermissionsBoundary),
    ];

    private Dictionary<string, object?> CreateUser(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "UserName");
        var path = PathOf(input);
        var tags = IamTags.Read(input);
        var boundary = input.GetString("PermissionsBoundary") is { } b ? AttachablePolicy(ctx, b).Arn : null;
        if (_store.Users.Get(Scope(ctx), name) is not null) throw IamErrors.AlreadyExists($"User with name {name} already exists.");
        var user = new UserRecord
        {
            UserName = name,
            UserId = AccessKeys.NewUniqueId("AIDA"),
            Path = path,
            Arn = Arn(ctx, "user", path, name),
            CreateDate = ctx.Now,
            Tags = tags,
            PermissionsBoundary = boundary,
        };
        _store.Users.Put(Scope(ctx), name, user);
        return new Dictionary<string, object?> { ["User"] = UserOut(user) };
    });

    private Dictionary<string, object?> GetUser(RequestContext ctx, Dictionary<string, object?> input)
    {
        if (input.GetString("UserName") is { } name) return new() { ["User"] = UserOut(User(ctx, name)) };
        // Without a name, GetUser describes the caller: an IAM user, or the account root.
        if (CallerUserName(ctx) is { } callerName) return new() { ["User"] = UserOut(User(ctx, callerName)) };
        if (ctx.Caller.Arn.EndsWith(":root", StringComparison.Ordinal))
            return new()
            {
                ["User"] = new Dictionary<string, object?>
                {
                    ["UserId"] = ctx.AccountId,
                    ["Arn"] = ctx.Caller.Arn,
                    ["CreateDate"] = DateTimeOffset.UnixEpoch,
                },
            };
        throw IamErrors.Validation("Must specify userName when calling with non-User credentials");
    }

    private Dictionary<string, object?> ListUsers(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(UnderPath(_store.Users.All(Scope(ctx)), u => u.Path, input), u => EntityTable<UserRecord>.Key(u.UserName), input, "Users",
            u => UserOut(u, listing: true));

    private Dictionary<string, object?> UpdateUser(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var newName = input.GetString("NewUserName") ?? user.UserName;
        var newPath = input.GetString("NewPath") ?? user.Path;
        if (!string.Equals(newName, user.UserName, StringComparison.OrdinalIgnoreCase) && _store.Users.Get(Scope(ctx), newName) is not null)
            throw IamErrors.AlreadyExists($"User with name {newName} already exists.");
        var updated = user with { UserName = newName, Path = newPath, Arn = Arn(ctx, "user", newPath, newName) };
        _store.Users.Delete(Scope(ctx), user.UserName);
        _store.Users.Put(Scope(ctx), newName, updated);
        // Keys follow their user: requests signed with them now name the user's new ARN.
        foreach (var key in _store.AccessKeys.All(Scope(ctx)).Where(k => k.UserName == user.UserName).ToList())
        {
            var renamed = key with { UserName = newName };
            _store.AccessKeys.Put(Scope(ctx), key.AccessKeyId, renamed);
            if (renamed.Status == "Active") RegisterCredential(ctx, renamed, updated);
        }
        return Empty();
    });

    private Dictionary<string, object?> DeleteUser(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        if (user.LoginProfile is not null) throw IamErrors.DeleteConflict("Cannot delete entity, must delete login profile first.");
        if (_store.AccessKeys.All(Scope(ctx)).Any(k => k.UserName == user.UserName))
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete access keys first.");
        if (_store.MfaDevices.All(Scope(ctx)).Any(d => d.UserName == user.UserName))
            throw IamErrors.DeleteConflict("Cannot delete entity, must remove tokens from principal first.");
        if (_store.SshPublicKeys.All(Scope(ctx)).Any(k => k.UserName == user.UserName))
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete SSH public keys first.");
        if (_store.SigningCertificates.All(Scope(ctx)).Any(c => c.UserName == user.UserName))
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete signing certificates first.");
        if (_store.ServiceCredentials.All(Scope(ctx)).Any(c => c.UserName == user.UserName))
            throw IamErrors.DeleteConflict("Cannot delete entity, must delete service specific credentials first.");
        if (user.Groups.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must remove user from all groups first.");
        if (user.AttachedPolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
        if (user.InlinePolicies.Count > 0) throw IamErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
        _store.Users.Delete(Scope(ctx), user.UserName);
        return Empty();
    });

    private Dictionary<string, object?> PutUserPermissionsBoundary(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var policy = AttachablePolicy(ctx, Required(input, "PermissionsBoundary"));
        _store.Users.Put(Scope(ctx), user.UserName, user with { PermissionsBoundary = policy.Arn });
        return Empty();
    });

    private Dictionary<string, object?> DeleteUserPermissionsBoundary(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        _store.Users.Put(Scope(ctx), user.UserName, user with { PermissionsBoundary = null });
        return Empty();
    });

    private UserRecord User(RequestContext ctx, string name) => _store.Users.Get(Scope(ctx), name) ?? throw IamErrors.NoSuchUser(name);

    /// <summary>The user name of a caller signing with an IAM user's access key, else null.</summary>
    private static string? CallerUserName(RequestContext ctx)
    {
        var marker = $"arn:aws:iam::{ctx.AccountId}:user/";
        var arn = ctx.Caller.Arn;
        return arn.StartsWith(marker, StringComparison.Ordinal) ? arn[(arn.LastIndexOf('/') + 1)..] : null;
    }

    // ListUsers leaves out tags and the permissions boundary, as IAM does.
    private static Dictionary<string, object?> UserOut(UserRecord user, bool listing = false) => new()
    {
        ["Path"] = user.Path,
        ["UserName"] = user.UserName,
        ["UserId"] = user.UserId,
        ["Arn"] = user.Arn,
        ["CreateDate"] = user.CreateDate,
        ["PermissionsBoundary"] = listing ? null : Boundary(user.PermissionsBoundary),
        ["Tags"] = listing ? null : IamTags.WriteOrNull(user.Tags),
    };
}
