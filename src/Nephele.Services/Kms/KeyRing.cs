using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>
/// Finding keys and using symmetric ones, shared by the KMS API and by other services through <see cref="KmsEnvelope"/>.
/// AWS managed keys (alias/aws/&lt;service&gt;) come into being on first use, as in AWS.
/// </summary>
internal sealed class KeyRing(KeyStore store)
{
    /// <summary>Services whose AWS managed key Nephele creates when its alias/aws/ alias is first used.</summary>
    private static readonly HashSet<string> ManagedServices =
    [
        "acm", "backup", "cloudtrail", "codeartifact", "codecommit", "dynamodb", "ebs", "ecr", "elasticfilesystem", "es", "glue",
        "kinesis", "kinesisvideo", "lambda", "logs", "rds", "redshift", "s3", "secretsmanager", "sns", "sqs", "ssm", "xray",
    ];

    public KeyStore Store => store;

    /// <summary>The key an identifier names: a key id, key ARN, alias name or alias ARN (aliases only where allowed).</summary>
    public KeyRecord Resolve(Scope scope, string identifier, bool allowAlias = true)
    {
        var arnPrefix = $"arn:aws:kms:{scope.Region}:{scope.AccountId}:";
        var local = identifier.StartsWith(arnPrefix, StringComparison.Ordinal) ? identifier[arnPrefix.Length..] : identifier;
        if (local.StartsWith("alias/", StringComparison.Ordinal))
        {
            // Operations that take only a key id or key ARN answer an alias as an unknown key id, as AWS does.
            if (!allowAlias) throw new AwsException("NotFoundException", $"Invalid keyId {identifier}");
            if (store.GetAlias(scope, local) is { } alias) return store.GetKey(scope, alias.TargetKeyId)!;
            if (local.StartsWith("alias/aws/", StringComparison.Ordinal) && ManagedServices.Contains(local[10..]))
                return ManagedKey(scope, local[10..]);
            throw new AwsException("NotFoundException", $"Alias {arnPrefix}{local} is not found.");
        }
        var id = local.StartsWith("key/", StringComparison.Ordinal) ? local[4..] : local;
        return store.GetKey(scope, id)
            ?? throw new AwsException("NotFoundException", $"Key '{arnPrefix}key/{id}' does not exist");
    }

    /// <summary>A key that can be used for cryptography now: enabled, not disabled or pending deletion.</summary>
    public KeyRecord Usable(Scope scope, string identifier) => Usable(Resolve(scope, identifier));

    public static KeyRecord Usable(KeyRecord key) => key.KeyState switch
    {
        "Enabled" => key,
        "Disabled" => throw new AwsException("DisabledException", $"{key.Arn} is disabled."),
        _ => throw InvalidState(key),
    };

    public static AwsException InvalidState(KeyRecord key) => new("KMSInvalidStateException", key.KeyState switch
    {
        "PendingDeletion" => $"{key.Arn} is pending deletion.",
        "PendingImport" => $"{key.Arn} is pending import.",
        _ => $"{key.Arn} is not pending deletion.",
    });

    /// <summary>Seals plaintext under a symmetric encryption key's current material version.</summary>
    public static byte[] Seal(KeyRecord key, byte[] plaintext, Dictionary<string, string> context, string operation = "Encrypt")
    {
        if (key.KeyUsage != "ENCRYPT_DECRYPT") throw KeySpecs.WrongUsage(key, operation);
        if (key.KeySpec != KeySpecs.SymmetricDefault) throw KeySpecs.IncompatibleAlgorithm(KeySpecs.SymmetricDefault, key.KeySpec);
        return Ciphertext.Seal(key.KeyId, key.MaterialVersion, KeyMaterial.Version(key, key.MaterialVersion), plaintext, context);
    }

    /// <summary>Opens a symmetric blob with the key (and material version) it names; a KeyId given must be that key.</summary>
    public (KeyRecord Key, byte[] Plaintext) Open(Scope scope, byte[] blob, string? keyId, Dictionary<string, string> context)
    {
        var header = Ciphertext.Read(blob);
        var key = store.GetKey(scope, header.KeyId) ?? throw Ciphertext.Invalid();
        if (keyId is not null && Resolve(scope, keyId).KeyId != key.KeyId)
            throw new AwsException("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
        Usable(key);
        if (key.KeySpec != KeySpecs.SymmetricDefault || header.MaterialVersion > key.MaterialVersion) throw Ciphertext.Invalid();
        return (key, Ciphertext.Open(blob, KeyMaterial.Version(key, header.MaterialVersion), context));
    }

    /// <summary>The AWS managed key of a service, created with its alias on first use. Its id is derived from account,
    /// region and service, so concurrent first uses agree on one key.</summary>
    public KeyRecord ManagedKey(Scope scope, string service)
    {
        var alias = $"alias/aws/{service}";
        if (store.GetAlias(scope, alias) is { } existing) return store.GetKey(scope, existing.TargetKeyId)!;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"nephele-aws-managed-key|{scope.AccountId}|{scope.Region}|{service}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var id = new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
        var now = store.Now;
        var key = new KeyRecord
        {
            KeyId = id,
            Arn = $"arn:aws:kms:{scope.Region}:{scope.AccountId}:key/{id}",
            Description = $"Default key that protects my {service} data when no other key is defined",
            CreationDate = now,
            KeyState = "Enabled",
            Material = KeySpecs.Generate(KeySpecs.SymmetricDefault),
            KeyManager = "AWS",
            Policy = KeyPolicies.AwsManaged(scope, service),
            // AWS rotates AWS managed keys every year.
            RotationEnabled = true,
            RotationPeriodInDays = 365,
            NextRotationDate = now.AddDays(365),
        };
        store.TryAddKey(scope, key);
        store.TryAddAlias(scope, new AliasRecord { AliasName = alias, TargetKeyId = id, CreationDate = now, LastUpdatedDate = now });
        return store.GetKey(scope, id)!;
    }
}
