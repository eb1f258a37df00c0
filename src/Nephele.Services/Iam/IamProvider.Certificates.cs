using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>
/// Server certificates (for load balancers and CloudFront, uploaded with their private key, which is checked and not
/// kept) and users' X.509 signing certificates.
/// </summary>
public sealed partial class IamProvider
{
    private const int SigningCertificatesPerUser = 2;

    private IEnumerable<(string, Handler)> CertificateHandlers() =>
    [
        ("UploadServerCertificate", UploadServerCertificate),
        ("GetServerCertificate", GetServerCertificate),
        ("ListServerCertificates", ListServerCertificates),
        ("UpdateServerCertificate", UpdateServerCertificate),
        ("DeleteServerCertificate", DeleteServerCertificate),
        ("UploadSigningCertificate", UploadSigningCertificate),
        ("ListSigningCertificates", ListSigningCertificates),
        ("UpdateSigningCertificate", UpdateSigningCertificate),
        ("DeleteSigningCertificate", DeleteSigningCertificate),
    ];

    private Dictionary<string, object?> UploadServerCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "ServerCertificateName");
        var path = PathOf(input);
        var body = Required(input, "CertificateBody");
        using var certificate = Certificates.Parse(body, "Unable to parse certificate. Please ensure the certificate is in PEM format.");
        Certificates.CheckKeyPair(certificate, Required(input, "PrivateKey"));
        if (input.GetString("CertificateChain") is { } chain) Certificates.CheckChain(chain);
        var tags = IamTags.Read(input);
        if (tags.Count > IamTags.MaxTags) throw IamErrors.LimitExceeded("The number of tags has reached the maximum limit.");
        if (_store.ServerCertificates.Get(Scope(ctx), name) is not null)
            throw IamErrors.AlreadyExists($"The Server Certificate with name {name} already exists.");
        var record = new ServerCertificateRecord
        {
            ServerCertificateName = name,
            ServerCertificateId = AccessKeys.NewUniqueId("ASCA"),
            Path = path,
            Arn = Arn(ctx, "server-certificate", path, name),
            CertificateBody = body.Trim(),
            CertificateChain = input.GetString("CertificateChain")?.Trim(),
            UploadDate = ctx.Now,
            Expiration = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            Tags = tags,
        };
        _store.ServerCertificates.Put(Scope(ctx), name, record);
        return new Dictionary<string, object?> { ["ServerCertificateMetadata"] = ServerCertificateMetadata(record), ["Tags"] = IamTags.WriteOrNull(tags) };
    });

    private Dictionary<string, object?> GetServerCertificate(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = ServerCertificate(ctx, Required(input, "ServerCertificateName"));
        return new()
        {
            ["ServerCertificate"] = new Dictionary<string, object?>
            {
                ["ServerCertificateMetadata"] = ServerCertificateMetadata(record),
                ["CertificateBody"] = record.CertificateBody,
                ["CertificateChain"] = record.CertificateChain,
                ["Tags"] = IamTags.WriteOrNull(record.Tags),
            },
        };
    }

    private Dictionary<string, object?> ListServerCertificates(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(UnderPath(_store.ServerCertificates.All(Scope(ctx)), c => c.Path, input), c => EntityTable<ServerCertificateRecord>.Key(c.ServerCertificateName),
            input, "ServerCertificateMetadataList", c => ServerCertificateMetadata(c));

    private Dictionary<string, object?> UpdateServerCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = ServerCertificate(ctx, Required(input, "ServerCertificateName"));
        var newName = input.GetString("NewServerCertificateName") ?? record.ServerCertificateName;
        var newPath = input.GetString("NewPath") ?? record.Path;
        if (!string.Equals(newName, record.ServerCertificateName, StringComparison.OrdinalIgnoreCase) && _store.ServerCertificates.Get(Scope(ctx), newName) is not null)
            throw IamErrors.AlreadyExists($"The Server Certificate with name {newName} already exists.");
        _store.ServerCertificates.Delete(Scope(ctx), record.ServerCertificateName);
        _store.ServerCertificates.Put(Scope(ctx), newName, record with
        {
            ServerCertificateName = newName,
            Path = newPath,
            Arn = Arn(ctx, "server-certificate", newPath, newName),
        });
        return Empty();
    });

    private Dictionary<string, object?> DeleteServerCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = ServerCertificate(ctx, Required(input, "ServerCertificateName"));
        _store.ServerCertificates.Delete(Scope(ctx), record.ServerCertificateName);
        return Empty();
    });

    private ServerCertificateRecord ServerCertificate(RequestContext ctx, string name) =>
        _store.ServerCertificates.Get(Scope(ctx), name) ?? throw IamErrors.NoSuchEntity($"The Server Certificate with name {name} cannot be found.");

    private static Dictionary<string, object?> ServerCertificateMetadata(ServerCertificateRecord record) => new()
    {
        ["Path"] = record.Path,
        ["ServerCertificateName"] = record.ServerCertificateName,
        ["ServerCertificateId"] = record.ServerCertificateId,
        ["Arn"] = record.Arn,
        ["UploadDate"] = record.UploadDate,
        ["Expiration"] = record.Expiration,
    };

    private Dictionary<string, object?> UploadSigningCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = KeyOwner(ctx, input);
        var body = Required(input, "CertificateBody");
        using var certificate = Certificates.Parse(body, "Unable to parse certificate. Please ensure the certificate is in PEM format.");
        var owned = _store.SigningCertificates.All(Scope(ctx)).Where(c => c.UserName == user?.UserName).ToList();
        var id = certificate.Thumbprint.ToUpperInvariant();
        if (_store.SigningCertificates.Get(Scope(ctx), id) is not null)
            throw new AwsException("DuplicateCertificate", "The same certificate already exists.", 409);
        if (owned.Count >= SigningCertificatesPerUser)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for CertificatesPerUser: {SigningCertificatesPerUser}");
        var record = new SigningCertificateRecord { CertificateId = id, UserName = user?.UserName, CertificateBody = body.Trim(), Status = "Active", UploadDate = ctx.Now };
        _store.SigningCertificates.Put(Scope(ctx), id, record);
        return new Dictionary<string, object?> { ["Certificate"] = SigningCertificateOut(record) };
    });

    private Dictionary<string, object?> ListSigningCertificates(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = KeyOwner(ctx, input);
        return Page(_store.SigningCertificates.All(Scope(ctx)).Where(c => c.UserName == user?.UserName), c => c.CertificateId, input, "Certificates",
            c => SigningCertificateOut(c));
    }

    private Dictionary<string, object?> UpdateSigningCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = SigningCertificate(ctx, input);
        _store.SigningCertificates.Put(Scope(ctx), record.CertificateId, record with { Status = Required(input, "Status") });
        return Empty();
    });

    private Dictionary<string, object?> DeleteSigningCertificate(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = SigningCertificate(ctx, input);
        _store.SigningCertificates.Delete(Scope(ctx), record.CertificateId);
        return Empty();
    });

    private SigningCertificateRecord SigningCertificate(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = KeyOwner(ctx, input);
        var id = Required(input, "CertificateId");
        return _store.SigningCertificates.Get(Scope(ctx), id) is { } record && record.CertificateId == id && record.UserName == user?.UserName ? record
            : throw IamErrors.NoSuchEntity($"The Certificate with id {id} cannot be found.");
    }

    private static Dictionary<string, object?> SigningCertificateOut(SigningCertificateRecord record) => new()
    {
        ["UserName"] = record.UserName,
        ["CertificateId"] = record.CertificateId,
        ["CertificateBody"] = record.CertificateBody,
        ["Status"] = record.Status,
        ["UploadDate"] = record.UploadDate,
    };
}
