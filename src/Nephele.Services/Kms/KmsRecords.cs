using System.Text.Json.Serialization;

namespace Nephele.Services.Kms;

/// <summary>A KMS key, with its secret key material, stored as one row keyed by key id. Members added after the
/// first release have defaults, so rows written by an older Nephele read as the symmetric customer keys they were.</summary>
internal sealed record KeyRecord
{
    public required string KeyId { get; init; }
    public required string Arn { get; init; }
    public string Description { get; init; } = "";
    public required DateTimeOffset CreationDate { get; init; }
    public required string KeyState { get; init; }
    public DateTimeOffset? DeletionDate { get; init; }
    public int? PendingWindowInDays { get; init; }

    /// <summary>The original key material: AES-256 key, PKCS#8 private key, or HMAC key, by <see cref="KeySpec"/>.</summary>
    public required byte[] Material { get; init; }

    public Dictionary<string, string> Tags { get; init; } = [];
    public string KeySpec { get; init; } = KeySpecs.SymmetricDefault;
    public string KeyUsage { get; init; } = "ENCRYPT_DECRYPT";
    public string KeyManager { get; init; } = "CUSTOMER";
    public string Origin { get; init; } = "AWS_KMS";

    /// <summary>The key policy document; null on keys stored before policies existed (they have the default).</summary>
    public string? Policy { get; init; }

    public bool RotationEnabled { get; init; }
    public int? RotationPeriodInDays { get; init; }
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>Completed rotations, oldest first; the current key material version is their count.</summary>
    public List<KeyRotation> Rotations { get; init; } = [];

    public bool MultiRegion { get; init; }

    /// <summary>For imported key material (Origin EXTERNAL): when it expires, or null when it does not.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>SHA-256 of the imported material, so a re-import must bring the same bytes back.</summary>
    public byte[]? ImportedMaterialDigest { get; init; }

    /// <summary>The pending GetParametersForImport: wrapping private key (PKCS#8), its algorithm, token and expiry.</summary>
    public byte[]? ImportWrappingKey { get; init; }
    public string? ImportWrappingAlgorithm { get; init; }
    public byte[]? ImportToken { get; init; }
    public DateTimeOffset? ImportParametersValidTo { get; init; }

    /// <summary>For a multi-Region key: the region of its primary key.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>For a multi-Region primary key: the regions it has been replicated to.</summary>
    public List<string> ReplicaRegions { get; init; } = [];

    [JsonIgnore]
    public int MaterialVersion => Rotations.Count;

    [JsonIgnore]
    public bool AwsManaged => KeyManager == "AWS";
}

/// <summary>One rotation of a symmetric key's material.</summary>
internal sealed record KeyRotation(DateTimeOffset RotationDate, string RotationType);

/// <summary>An alias: a friendly name pointing at one key, keyed by its name (alias/...).</summary>
internal sealed record AliasRecord
{
    public required string AliasName { get; init; }
    public required string TargetKeyId { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    public required DateTimeOffset LastUpdatedDate { get; init; }
}

/// <summary>A grant on a key, keyed by "keyId/grantId" so a key's grants list together.</summary>
internal sealed record GrantRecord
{
    public required string KeyId { get; init; }
    public required string KeyArn { get; init; }
    public required string GrantId { get; init; }
    public required string GrantToken { get; init; }
    public string? Name { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    public string? GranteePrincipal { get; init; }
    public string? RetiringPrincipal { get; init; }
    public required string IssuingAccount { get; init; }
    public List<string> Operations { get; init; } = [];
    public Dictionary<string, string>? EncryptionContextSubset { get; init; }
    public Dictionary<string, string>? EncryptionContextEquals { get; init; }
}

[JsonSerializable(typeof(KeyRecord))]
[JsonSerializable(typeof(AliasRecord))]
[JsonSerializable(typeof(GrantRecord))]
internal sealed partial class KmsJsonContext : JsonSerializerContext;
