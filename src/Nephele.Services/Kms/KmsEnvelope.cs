using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>
/// Encryption at rest for other services (SSM SecureString, Secrets Manager, ...): seals and opens values under a KMS
/// key exactly as KMS Encrypt/Decrypt would, so the stored blob is a real KMS ciphertext. Errors are KMS's own
/// (NotFoundException, DisabledException, KMSInvalidStateException, InvalidCiphertextException, ...); callers translate
/// them into their service's error.
/// </summary>
public sealed class KmsEnvelope(ServiceEnvironment env)
{
    private readonly KeyRing _ring = new(new KeyStore(env.State, env.Clock));

    /// <summary>Encrypts under <paramref name="keyId"/> (key id, key ARN, alias name or alias ARN), or, when null, the
    /// AWS managed key of <paramref name="service"/> (alias/aws/&lt;service&gt;, created on first use).</summary>
    public (string KeyArn, byte[] CiphertextBlob) Encrypt(Scope scope, string? keyId, string service, byte[] plaintext, Dictionary<string, string> context)
    {
        var key = KeyRing.Usable(keyId is null ? _ring.ManagedKey(scope, service) : _ring.Resolve(scope, keyId));
        return (key.Arn, KeyRing.Seal(key, plaintext, context));
    }

    /// <summary>Decrypts a blob made by <see cref="Encrypt"/> (or by KMS Encrypt) under the key it names.</summary>
    public (string KeyArn, byte[] Plaintext) Decrypt(Scope scope, byte[] blob, Dictionary<string, string> context)
    {
        var (key, plaintext) = _ring.Open(scope, blob, null, context);
        return (key.Arn, plaintext);
    }
}
