using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    /// <summary>How to read and replace the tags of one kind of taggable entity, named by the input member.</summary>
    private sealed record Taggable(string Member, Func<RequestContext, string, List<TagRecord>> Get, Action<RequestContext, string, List<TagRecord>> Set);

    private IEnumerable<(string, Handler)> TagHandlers()
    {
        var kinds = new (string Suffix, Taggable Taggable)[]
        {
            ("User", new("UserName", (c, n) => User(c, n).Tags, (c, n, t) => _store.Users.Put(Scope(c), n, User(c, n) with { Tags = t }))),
            ("Role", new("RoleName", (c, n) => Role(c, n).Tags, (c, n, t) => _store.Roles.Put(Scope(c), n, Role(c, n) with { Tags = t }))),
            ("Policy", new("PolicyArn", (c, n) => Policy(c, n).Tags,
                (c, n, t) => { var p = CustomerPolicy(c, n, "TagPolicy"); _store.Policies.Put(Scope(c), p.PolicyName, p with { Tags = t }); })),
            ("InstanceProfile", new("InstanceProfileName", (c, n) => InstanceProfile(c, n).Tags,
                (c, n, t) => _store.InstanceProfiles.Put(Scope(c), n, InstanceProfile(c, n) with { Tags = t }))),
            ("OpenIDConnectProvider", new("OpenIDConnectProviderArn", (c, n) => OidcProvider(c, n).Tags,
                (c, n, t) => _store.OidcProviders.Put(Scope(c), n, OidcProvider(c, n) with { Tags = t }))),
            ("SAMLProvider", new("SAMLProviderArn", (c, n) => SamlProvider(c, n).Tags,
                (c, n, t) => _store.SamlProviders.Put(Scope(c), n, SamlProvider(c, n) with { Tags = t }))),
            ("MFADevice", new("SerialNumber", (c, n) => MfaDevice(c, n).Tags,
                (c, n, t) => _store.MfaDevices.Put(Scope(c), n, MfaDevice(c, n) with { Tags = t }))),
            ("ServerCertificate", new("ServerCertificateName", (c, n) => ServerCertificate(c, n).Tags,
                (c, n, t) => _store.ServerCertificates.Put(Scope(c), n, ServerCertificate(c, n) with { Tags = t }))),
        };
        foreach (var (suffix, taggable) in kinds)
        {
            yield return ($"Tag{suffix}", (ctx, input) => Tag(ctx, input, taggable));
            yield return ($"Untag{suffix}", (ctx, input) => Untag(ctx, input, taggable));
            yield return ($"List{suffix}Tags", (ctx, input) => ListTags(ctx, input, taggable));
        }
    }

    private Dictionary<string, object?> Tag(RequestContext ctx, Dictionary<string, object?> input, Taggable taggable) => _store.Transaction(() =>
    {
        var name = Required(input, taggable.Member);
        var tags = IamTags.Merge(taggable.Get(ctx, name), IamTags.Read(input));
        taggable.Set(ctx, name, tags);
        return Empty();
    });

    private Dictionary<string, object?> Untag(RequestContext ctx, Dictionary<string, object?> input, Taggable taggable) => _store.Transaction(() =>
    {
        var name = Required(input, taggable.Member);
        taggable.Set(ctx, name, IamTags.Remove(taggable.Get(ctx, name), input.GetStrings("TagKeys")));
        return Empty();
    });

    private static Dictionary<string, object?> ListTags(RequestContext ctx, Dictionary<string, object?> input, Taggable taggable)
    {
        var tags = taggable.Get(ctx, Required(input, taggable.Member)).Select((t, i) => (t, i));
        return Page(tags, x => x.i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), input, "Tags",
            x => new Dictionary<string, object?> { ["Key"] = x.t.Key, ["Value"] = x.t.Value });
    }

    private MfaDeviceRecord MfaDevice(RequestContext ctx, string serial) =>
        _store.MfaDevices.Get(Scope(ctx), serial) is { } device && device.SerialNumber == serial ? device
            : throw IamErrors.NoSuchEntity($"MFA device with serial number {serial} does not exist.");
}
