using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Signs SNS messages the way AWS does (RSA over the canonical "Name\nValue\n" string; SHA1 for SignatureVersion 1,
/// SHA256 for 2) with a key Nephele generates once and keeps in its state, so signatures verify across restarts
/// against the self-signed certificate it serves at the SigningCertURL.
/// </summary>
internal sealed class MessageSigner(IStateStore state)
{
    private static readonly Scope KeyScope = Scope.Global("000000000000");
    private readonly IResourceTable _table = state.Table("sns", "signing");
    private readonly Lock _lock = new();
    private (RSA Key, string CertificatePem, string FileName)? _loaded;

    /// <summary>The certificate's file name: SimpleNotificationService-&lt;hash&gt;.pem, like AWS's.</summary>
    public string CertificateFileName => Load().FileName;

    public string CertificatePem => Load().CertificatePem;

    public string CertificateUrl(string baseUrl) => $"{baseUrl}/_aws/sns/{CertificateFileName}";

    /// <summary>The base64 signature of the given name/value pairs (already in AWS's order; absent values skipped).</summary>
    public string Sign(IEnumerable<(string Name, string? Value)> fields, string signatureVersion)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
            if (value is not null) text.Append(name).Append('\n').Append(value).Append('\n');
        var hash = signatureVersion == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        return Convert.ToBase64String(Load().Key.SignData(Encoding.UTF8.GetBytes(text.ToString()), hash, RSASignaturePadding.Pkcs1));
    }

    private (RSA Key, string CertificatePem, string FileName) Load()
    {
        if (_loaded is { } loaded) return loaded;
        lock (_lock)
        {
            if (_loaded is { } again) return again;
            var record = _table.Get(KeyScope, "default", SnsJsonContext.Default.SigningKeyRecord);
            if (record is null)
            {
                record = Generate();
                // Another node may have stored one first; theirs wins so every signature verifies.
                if (!_table.TryAdd(KeyScope, "default", record, SnsJsonContext.Default.SigningKeyRecord))
                    record = _table.Get(KeyScope, "default", SnsJsonContext.Default.SigningKeyRecord)!;
            }
            var key = RSA.Create();
            key.ImportFromPem(record.PrivateKeyPem);
            var name = $"SimpleNotificationService-{Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(record.CertificatePem)))[..32]}.pem";
            _loaded = (key, record.CertificatePem, name);
            return _loaded.Value;
        }
    }

    private static SigningKeyRecord Generate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sns.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // Real time, not Nephele's: verifiers check the validity period against their own clocks; a century covers
        // any clock advance a test makes.
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        return new SigningKeyRecord { PrivateKeyPem = key.ExportPkcs8PrivateKeyPem(), CertificatePem = certificate.ExportCertificatePem() };
    }
}
