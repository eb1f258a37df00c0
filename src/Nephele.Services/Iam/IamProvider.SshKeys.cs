using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>SSH public keys of IAM users (what CodeCommit authenticates git over SSH with).</summary>
public sealed partial class IamProvider
{
    private const int SshPublicKeysPerUser = 5;

    private IEnumerable<(string, Handler)> SshKeyHandlers() =>
    [
        ("UploadSSHPublicKey", UploadSshPublicKey),
        ("GetSSHPublicKey", GetSshPublicKey),
        ("ListSSHPublicKeys", ListSshPublicKeys),
        ("UpdateSSHPublicKey", UpdateSshPublicKey),
        ("DeleteSSHPublicKey", DeleteSshPublicKey),
    ];

    private Dictionary<string, object?> UploadSshPublicKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var (body, fingerprint) = SshPublicKeys.Parse(Required(input, "SSHPublicKeyBody"));
        var owned = _store.SshPublicKeys.All(Scope(ctx)).Where(k => k.UserName == user.UserName).ToList();
        if (owned.Any(k => k.Fingerprint == fingerprint))
            throw new AwsException("DuplicateSSHPublicKey", "The SSH public key specified is already associated with this user.", 400);
        if (owned.Count >= SshPublicKeysPerUser) throw IamErrors.LimitExceeded($"Cannot exceed quota for SSHPublicKeysPerUser: {SshPublicKeysPerUser}");
        var key = new SshPublicKeyRecord
        {
            SshPublicKeyId = AccessKeys.NewAccessKeyId("APKA"),
            UserName = user.UserName,
            Body = body,
            Fingerprint = fingerprint,
            Status = "Active",
            UploadDate = ctx.Now,
        };
        _store.SshPublicKeys.Put(Scope(ctx), key.SshPublicKeyId, key);
        return new Dictionary<string, object?> { ["SSHPublicKey"] = SshKeyOut(key, "SSH") };
    });

    private Dictionary<string, object?> GetSshPublicKey(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = User(ctx, Required(input, "UserName"));
        var key = SshKey(ctx, user.UserName, Required(input, "SSHPublicKeyId"));
        return new() { ["SSHPublicKey"] = SshKeyOut(key, Required(input, "Encoding")) };
    }

    private Dictionary<string, object?> ListSshPublicKeys(RequestContext ctx, Dictionary<string, object?> input)
    {
        var userName = input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var keys = _store.SshPublicKeys.All(Scope(ctx)).Where(k => k.UserName == userName);
        return Page(keys, k => k.SshPublicKeyId, input, "SSHPublicKeys", k => new Dictionary<string, object?>
        {
            ["UserName"] = k.UserName,
            ["SSHPublicKeyId"] = k.SshPublicKeyId,
            ["Status"] = k.Status,
            ["UploadDate"] = k.UploadDate,
        });
    }

    private Dictionary<string, object?> UpdateSshPublicKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var key = SshKey(ctx, user.UserName, Required(input, "SSHPublicKeyId"));
        _store.SshPublicKeys.Put(Scope(ctx), key.SshPublicKeyId, key with { Status = Required(input, "Status") });
        return Empty();
    });

    private Dictionary<string, object?> DeleteSshPublicKey(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var key = SshKey(ctx, user.UserName, Required(input, "SSHPublicKeyId"));
        _store.SshPublicKeys.Delete(Scope(ctx), key.SshPublicKeyId);
        return Empty();
    });

    private SshPublicKeyRecord SshKey(RequestContext ctx, string userName, string id) =>
        _store.SshPublicKeys.Get(Scope(ctx), id) is { } key && key.SshPublicKeyId == id && key.UserName == userName ? key
            : throw IamErrors.NoSuchEntity($"The Public Key with id {id} cannot be found.");

    private static Dictionary<string, object?> SshKeyOut(SshPublicKeyRecord key, string encoding) => new()
    {
        ["UserName"] = key.UserName,
        ["SSHPublicKeyId"] = key.SshPublicKeyId,
        ["Fingerprint"] = key.Fingerprint,
        ["SSHPublicKeyBody"] = encoding == "PEM" ? SshPublicKeys.Pem(key.Body) : key.Body,
        ["Status"] = key.Status,
        ["UploadDate"] = key.UploadDate,
    };
}
