using System.Globalization;
using System.Xml.Linq;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>OIDC and SAML identity providers: stored and described (AssumeRoleWith* accepts tokens without consulting them).</summary>
public sealed partial class IamProvider
{
    private const int ThumbprintsPerProvider = 5;
    private const int ClientIdsPerProvider = 100;

    private IEnumerable<(string, Handler)> ProviderHandlers() =>
    [
        ("CreateOpenIDConnectProvider", CreateOpenIdConnectProvider),
        ("GetOpenIDConnectProvider", GetOpenIdConnectProvider),
        ("ListOpenIDConnectProviders", ListOpenIdConnectProviders),
        ("DeleteOpenIDConnectProvider", DeleteOpenIdConnectProvider),
        ("AddClientIDToOpenIDConnectProvider", AddClientId),
        ("RemoveClientIDFromOpenIDConnectProvider", RemoveClientId),
        ("UpdateOpenIDConnectProviderThumbprint", UpdateThumbprint),
        ("CreateSAMLProvider", CreateSamlProvider),
        ("GetSAMLProvider", GetSamlProvider),
        ("UpdateSAMLProvider", UpdateSamlProvider),
        ("ListSAMLProviders", ListSamlProviders),
        ("DeleteSAMLProvider", DeleteSamlProvider),
    ];

    private Dictionary<string, object?> CreateOpenIdConnectProvider(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var url = Required(input, "Url");
        if (!url.StartsWith("https://", StringComparison.Ordinal) || url.Length <= 8)
            throw IamErrors.Validation("Invalid Open ID Connect Provider URL");
        var thumbprints = input.GetStrings("ThumbprintList").ToList();
        if (thumbprints.Count > ThumbprintsPerProvider) throw IamErrors.InvalidInput("Thumbprint list must contain fewer than 5 entries.");
        var clientIds = input.GetStrings("ClientIDList").Distinct().ToList();
        if (clientIds.Count > ClientIdsPerProvider) throw IamErrors.LimitExceeded($"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {ClientIdsPerProvider}");
        var tags = IamTags.Read(input);
        var arn = $"arn:aws:iam::{ctx.AccountId}:oidc-provider/{url[8..].TrimEnd('/')}";
        if (_store.OidcProviders.Get(Scope(ctx), arn) is not null) throw IamErrors.AlreadyExists($"Provider with url {url} already exists.");
        _store.OidcProviders.Put(Scope(ctx), arn, new OidcProviderRecord
        {
            Arn = arn,
            Url = url[8..].TrimEnd('/'),
            ClientIds = clientIds,
            Thumbprints = thumbprints,
            CreateDate = ctx.Now,
            Tags = tags,
        });
        return new Dictionary<string, object?> { ["OpenIDConnectProviderArn"] = arn, ["Tags"] = IamTags.WriteOrNull(tags) };
    });

    private Dictionary<string, object?> GetOpenIdConnectProvider(RequestContext ctx, Dictionary<string, object?> input)
    {
        var provider = OidcProvider(ctx, Required(input, "OpenIDConnectProviderArn"));
        return new()
        {
            ["Url"] = provider.Url,
            ["ClientIDList"] = provider.ClientIds.Cast<object?>().ToList(),
            ["ThumbprintList"] = provider.Thumbprints.Cast<object?>().ToList(),
            ["CreateDate"] = provider.CreateDate,
            ["Tags"] = IamTags.WriteOrNull(provider.Tags),
        };
    }

    private Dictionary<string, object?> ListOpenIdConnectProviders(RequestContext ctx, Dictionary<string, object?> input) => new()
    {
        ["OpenIDConnectProviderList"] = _store.OidcProviders.All(Scope(ctx))
            .Select(p => (object?)new Dictionary<string, object?> { ["Arn"] = p.Arn }).ToList(),
    };

    private Dictionary<string, object?> DeleteOpenIdConnectProvider(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = OidcProvider(ctx, Required(input, "OpenIDConnectProviderArn"));
        _store.OidcProviders.Delete(Scope(ctx), provider.Arn);
        return Empty();
    });

    private Dictionary<string, object?> AddClientId(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = OidcProvider(ctx, Required(input, "OpenIDConnectProviderArn"));
        var clientId = Required(input, "ClientID");
        if (provider.ClientIds.Contains(clientId)) return Empty();
        if (provider.ClientIds.Count >= ClientIdsPerProvider)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {ClientIdsPerProvider}");
        _store.OidcProviders.Put(Scope(ctx), provider.Arn, provider with { ClientIds = [.. provider.ClientIds, clientId] });
        return Empty();
    });

    private Dictionary<string, object?> RemoveClientId(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = OidcProvider(ctx, Required(input, "OpenIDConnectProviderArn"));
        var clientId = Required(input, "ClientID");
        _store.OidcProviders.Put(Scope(ctx), provider.Arn, provider with { ClientIds = provider.ClientIds.Where(c => c != clientId).ToList() });
        return Empty();
    });

    private Dictionary<string, object?> UpdateThumbprint(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = OidcProvider(ctx, Required(input, "OpenIDConnectProviderArn"));
        var thumbprints = input.GetStrings("ThumbprintList").ToList();
        if (thumbprints.Count > ThumbprintsPerProvider) throw IamErrors.InvalidInput("Thumbprint list must contain fewer than 5 entries.");
        _store.OidcProviders.Put(Scope(ctx), provider.Arn, provider with { Thumbprints = thumbprints });
        return Empty();
    });

    private OidcProviderRecord OidcProvider(RequestContext ctx, string arn) =>
        _store.OidcProviders.Get(Scope(ctx), arn) ?? throw IamErrors.NoSuchEntity($"OpenIDConnect Provider not found for arn {arn}");

    private Dictionary<string, object?> CreateSamlProvider(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "Name");
        var metadata = Required(input, "SAMLMetadataDocument");
        var validUntil = SamlValidUntil(metadata);
        var tags = IamTags.Read(input);
        var arn = $"arn:aws:iam::{ctx.AccountId}:saml-provider/{name}";
        if (_store.SamlProviders.Get(Scope(ctx), arn) is not null) throw IamErrors.AlreadyExists($"SAMLProvider {name} already exists");
        _store.SamlProviders.Put(Scope(ctx), arn, new SamlProviderRecord
        {
            Arn = arn,
            Name = name,
            MetadataDocument = metadata,
            Uuid = Guid.NewGuid().ToString(),
            CreateDate = ctx.Now,
            ValidUntil = validUntil,
            AssertionEncryptionMode = input.GetString("AssertionEncryptionMode"),
            Tags = tags,
        });
        return new Dictionary<string, object?> { ["SAMLProviderArn"] = arn, ["Tags"] = IamTags.WriteOrNull(tags) };
    });

    private Dictionary<string, object?> GetSamlProvider(RequestContext ctx, Dictionary<string, object?> input)
    {
        var provider = SamlProvider(ctx, Required(input, "SAMLProviderArn"));
        return new()
        {
            ["SAMLProviderUUID"] = provider.Uuid,
            ["SAMLMetadataDocument"] = provider.MetadataDocument,
            ["CreateDate"] = provider.CreateDate,
            ["ValidUntil"] = provider.ValidUntil,
            ["AssertionEncryptionMode"] = provider.AssertionEncryptionMode,
            ["Tags"] = IamTags.WriteOrNull(provider.Tags),
        };
    }

    private Dictionary<string, object?> UpdateSamlProvider(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = SamlProvider(ctx, Required(input, "SAMLProviderArn"));
        if (input.GetString("SAMLMetadataDocument") is { } metadata)
            provider = provider with { MetadataDocument = metadata, ValidUntil = SamlValidUntil(metadata) };
        if (input.GetString("AssertionEncryptionMode") is { } mode) provider = provider with { AssertionEncryptionMode = mode };
        _store.SamlProviders.Put(Scope(ctx), provider.Arn, provider);
        return new Dictionary<string, object?> { ["SAMLProviderArn"] = provider.Arn };
    });

    private Dictionary<string, object?> ListSamlProviders(RequestContext ctx, Dictionary<string, object?> input) => new()
    {
        ["SAMLProviderList"] = _store.SamlProviders.All(Scope(ctx)).Select(p => (object?)new Dictionary<string, object?>
        {
            ["Arn"] = p.Arn,
            ["ValidUntil"] = p.ValidUntil,
            ["CreateDate"] = p.CreateDate,
        }).ToList(),
    };

    private Dictionary<string, object?> DeleteSamlProvider(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var provider = SamlProvider(ctx, Required(input, "SAMLProviderArn"));
        _store.SamlProviders.Delete(Scope(ctx), provider.Arn);
        return Empty();
    });

    private SamlProviderRecord SamlProvider(RequestContext ctx, string arn) =>
        _store.SamlProviders.Get(Scope(ctx), arn) ?? throw IamErrors.NoSuchEntity($"SAMLProvider {arn} not found.");

    /// <summary>The metadata must be XML (IAM parses it); its validUntil attribute, if any, is the provider's expiry.</summary>
    private static DateTimeOffset? SamlValidUntil(string metadata)
    {
        XElement root;
        try
        {
            root = XElement.Parse(metadata);
        }
        catch (System.Xml.XmlException)
        {
            throw IamErrors.InvalidInput("Could not parse metadata");
        }
        return root.Attribute("validUntil")?.Value is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until) ? until : null;
    }
}
