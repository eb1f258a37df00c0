using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider : IAccessKeyUseRecorder, IDisposable
{
    private readonly AccessKeyUsage _usage = new(new IamStore(env.State));

    public void Used(CallerIdentity caller, string service, string region, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _usage.Record(caller.AccountId, caller.AccessKeyId, service, region, at);
    }

    public void Dispose() => _usage.Dispose();

    private const int AccessKeysPerUser = 2;

    private IEnumerable<(string, Handler)> AccessKeyHandlers() =>
    [
        ("CreateAccessKey", CreateAccessKey),
        ("ListAccessKeys", ListAccessKeys),
        ("UpdateAccessKey", UpdateAccessKey),
        ("DeleteAccessKey", DeleteAccessKey),
        ("GetAccessKeyLastUsed", GetAccessKeyLastUsed),
    ];

    // Keys are registered with the credential store, so requests signed with them act as their user.
    private Dictionary<string, object?> CreateAccessKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = KeyOwner(ctx, input);
        var owned = _store.AccessKeys.All(Scope(ctx)).Count(k => k.UserName == user?.UserName);
        if (owned >= AccessKeysPerUser) throw IamErrors.LimitExceeded($"Cannot exceed quota for AccessKeysPerUser: {AccessKeysPerUser}");
        var key = new AccessKeyRecord
        {
            AccessKeyId = AccessKeys.NewAccessKeyId("AKIA"),
            SecretAccessKey = AccessKeys.NewSecretAccessKey(),
            UserName = user?.UserName,
            Status = "Active",
            CreateDate = ctx.Now,
        };
        _store.AccessKeys.Put(Scope(ctx), key.AccessKeyId, key);
        RegisterCredential(ctx, key, user);
        return new Dictionary<string, object?>
        {
            ["AccessKey"] = new Dictionary<string, object?>
            {
                ["UserName"] = key.UserName,
                ["AccessKeyId"] = key.AccessKeyId,
                ["Status"] = key.Status,
                ["SecretAccessKey"] = key.SecretAccessKey,
                ["CreateDate"] = key.CreateDate,
            },
        };
    });

    private Dictionary<string, object?> ListAccessKeys(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = KeyOwner(ctx, input);
        return Page(_store.AccessKeys.All(Scope(ctx)).Where(k => k.UserName == user?.UserName), k => k.AccessKeyId, input, "AccessKeyMetadata",
            k => new Dictionary<string, object?>
            {
                ["UserName"] = k.UserName,
                ["AccessKeyId"] = k.AccessKeyId,
                ["Status"] = k.Status,
                ["CreateDate"] = k.CreateDate,
            });
    }

    private Dictionary<string, object?> UpdateAccessKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = KeyOwner(ctx, input);
        var key = OwnedKey(ctx, Required(input, "AccessKeyId"), user) with { Status = Required(input, "Status") };
        _store.AccessKeys.Put(Scope(ctx), key.AccessKeyId, key);
        // An inactive key no longer identifies anyone; reactivating it restores it.
        if (key.Status == "Active") RegisterCredential(ctx, key, user);
        else _credentials.Remove(key.AccessKeyId);
        return Empty();
    });

    private Dictionary<string, object?> DeleteAccessKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = KeyOwner(ctx, input);
        var key = OwnedKey(ctx, Required(input, "AccessKeyId"), user);
        _store.AccessKeys.Delete(Scope(ctx), key.AccessKeyId);
        _credentials.Remove(key.AccessKeyId);
        _usage.Forget(Scope(ctx), key.AccessKeyId);
        return Empty();
    });

    // A key never used reads as AWS shows a fresh key: no date, service and region "N/A".
    private Dictionary<string, object?> GetAccessKeyLastUsed(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = Required(input, "AccessKeyId");
        var key = _store.AccessKeys.Get(Scope(ctx), id) ?? throw IamErrors.NoSuchEntity($"The Access Key with id {id} cannot be found");
        var use = _usage.LastUse(Scope(ctx), key.AccessKeyId);
        return new()
        {
            ["UserName"] = key.UserName,
            ["AccessKeyLastUsed"] = new Dictionary<string, object?>
            {
                ["LastUsedDate"] = use?.LastUsedDate,
                ["ServiceName"] = use?.ServiceName ?? "N/A",
                ["Region"] = use?.Region ?? "N/A",
            },
        };
    }

    /// <summary>The user named by UserName, else the calling IAM user; null for the account root's own keys.</summary>
    private UserRecord? KeyOwner(RequestContext ctx, Dictionary<string, object?> input)
    {
        if (input.GetString("UserName") is { } name) return User(ctx, name);
        if (CallerUserName(ctx) is { } caller) return User(ctx, caller);
        if (ctx.Caller.Arn.EndsWith(":root", StringComparison.Ordinal)) return null;
        throw IamErrors.Validation("Must specify userName when calling with non-User credentials");
    }

    private AccessKeyRecord OwnedKey(RequestContext ctx, string id, UserRecord? user)
    {
        var key = _store.AccessKeys.Get(Scope(ctx), id);
        return key is not null && key.UserName == user?.UserName ? key
            : throw IamErrors.NoSuchEntity($"The Access Key with id {id} cannot be found");
    }

    private void RegisterCredential(RequestContext ctx, AccessKeyRecord key, UserRecord? user)
    {
        var identity = user is null
            ? CallerIdentity.Root(key.AccessKeyId, ctx.AccountId)
            : new CallerIdentity(key.AccessKeyId, ctx.AccountId, user.Arn, user.UserId);
        _credentials.Add(new IssuedCredential(key.AccessKeyId, key.SecretAccessKey, null, identity, null));
    }
}
