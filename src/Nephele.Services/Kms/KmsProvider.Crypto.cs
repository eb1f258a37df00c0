using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private Dictionary<string, object?> Encrypt(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        var plaintext = input.GetBlob("Plaintext") ?? [];
        if (plaintext.Length is 0 or > 4096)
            throw AwsException.Validation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096");
        var algorithm = input.GetString("EncryptionAlgorithm") ?? SymmetricDefault;
        return new()
        {
            ["CiphertextBlob"] = EncryptWith(key, algorithm, plaintext, input.GetStringMap("EncryptionContext"), "Encrypt"),
            ["KeyId"] = key.Arn,
            ["EncryptionAlgorithm"] = algorithm,
        };
    }

    private Dictionary<string, object?> Decrypt(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (key, plaintext, algorithm) = DecryptWith(ctx, input.GetBlob("CiphertextBlob"), input.GetString("KeyId"),
            input.GetString("EncryptionAlgorithm"), input.GetStringMap("EncryptionContext"), "Decrypt");
        return new() { ["KeyId"] = key.Arn, ["Plaintext"] = plaintext, ["EncryptionAlgorithm"] = algorithm };
    }

    private Dictionary<string, object?> ReEncrypt(RequestContext ctx, Dictionary<string, object?> input)
    {
        var destination = Usable(ctx, input.RequireString("DestinationKeyId"));
        var destinationAlgorithm = input.GetString("DestinationEncryptionAlgorithm") ?? SymmetricDefault;
        var (source, plaintext, sourceAlgorithm) = DecryptWith(ctx, input.GetBlob("CiphertextBlob"), input.GetString("SourceKeyId"),
            input.GetString("SourceEncryptionAlgorithm"), input.GetStringMap("SourceEncryptionContext"), "ReEncryptFrom");
        return new()
        {
            ["CiphertextBlob"] = EncryptWith(destination, destinationAlgorithm, plaintext, input.GetStringMap("DestinationEncryptionContext"), "ReEncryptTo"),
            ["SourceKeyId"] = source.Arn,
            ["KeyId"] = destination.Arn,
            ["SourceEncryptionAlgorithm"] = sourceAlgorithm,
            ["DestinationEncryptionAlgorithm"] = destinationAlgorithm,
        };
    }

    private Dictionary<string, object?> GenerateDataKey(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        var dataKey = RandomNumberGenerator.GetBytes(DataKeySize(input));
        return new()
        {
            ["CiphertextBlob"] = KeyRing.Seal(key, dataKey, input.GetStringMap("EncryptionContext"), "GenerateDataKey"),
            ["Plaintext"] = dataKey,
            ["KeyId"] = key.Arn,
            ["KeyMaterialId"] = KeyMaterial.Id(key, key.MaterialVersion),
        };
    }

    private Dictionary<string, object?> GenerateDataKeyWithoutPlaintext(RequestContext ctx, Dictionary<string, object?> input)
    {
        var output = GenerateDataKey(ctx, input);
        output.Remove("Plaintext");
        return output;
    }

    private Dictionary<string, object?> GenerateDataKeyPair(RequestContext ctx, Dictionary<string, object?> input)
    {
        var spec = input.RequireString("KeyPairSpec");
        string[] specs = ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519"];
        if (!specs.Contains(spec))
            throw AwsException.Validation($"1 validation error detected: Value '{spec}' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", specs)}]");
        if (!KeySpecs.IsAsymmetric(spec) || !KeySpecs.Supported(spec))
            throw new AwsException("UnsupportedOperationException", $"KeyPairSpec {spec} is not supported by Nephele on this machine.");
        var key = Usable(ctx, input.RequireString("KeyId"));
        var (privateKey, publicKey) = AsymmetricCrypto.NewPair(spec);
        return new()
        {
            ["PrivateKeyCiphertextBlob"] = KeyRing.Seal(key, privateKey, input.GetStringMap("EncryptionContext"), "GenerateDataKeyPair"),
            ["PrivateKeyPlaintext"] = privateKey,
            ["PublicKey"] = publicKey,
            ["KeyId"] = key.Arn,
            ["KeyPairSpec"] = spec,
            ["KeyMaterialId"] = KeyMaterial.Id(key, key.MaterialVersion),
        };
    }

    private Dictionary<string, object?> GenerateDataKeyPairWithoutPlaintext(RequestContext ctx, Dictionary<string, object?> input)
    {
        var output = GenerateDataKeyPair(ctx, input);
        output.Remove("PrivateKeyPlaintext");
        return output;
    }

    private static Dictionary<string, object?> GenerateRandom(RequestContext ctx, Dictionary<string, object?> input)
    {
        var count = input.GetInt("NumberOfBytes") ?? throw AwsException.Validation("NumberOfBytes is required.");
        if (count is < 1 or > 1024)
            throw AwsException.Validation($"1 validation error detected: Value '{count}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024");
        return new() { ["Plaintext"] = RandomNumberGenerator.GetBytes(count) };
    }

    /// <summary>Encrypts under a usable key: a Nephele AES-GCM blob for symmetric keys, raw RSAES-OAEP output for RSA keys.</summary>
    private static byte[] EncryptWith(KeyRecord key, string algorithm, byte[] plaintext, Dictionary<string, string> context, string operation)
    {
        if (key.KeyUsage != "ENCRYPT_DECRYPT") throw KeySpecs.WrongUsage(key, operation);
        if (!KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage).Contains(algorithm)) throw KeySpecs.IncompatibleAlgorithm(algorithm, key.KeySpec);
        return key.KeySpec == SymmetricDefault ? KeyRing.Seal(key, plaintext, context, operation) : AsymmetricCrypto.Encrypt(key, algorithm, plaintext);
    }

    /// <summary>Decrypts a symmetric blob (which names its key) or, when KeyId names an RSA key, a raw RSA ciphertext.</summary>
    private (KeyRecord Key, byte[] Plaintext, string Algorithm) DecryptWith(RequestContext ctx, byte[]? blob, string? keyId, string? algorithm,
        Dictionary<string, string> context, string operation)
    {
        if (blob is not { Length: > 0 })
            throw AwsException.Validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
        if (keyId is not null && Resolve(ctx, keyId) is { } named && KeySpecs.IsAsymmetric(named.KeySpec))
        {
            var key = KeyRing.Usable(named);
            if (key.KeyUsage != "ENCRYPT_DECRYPT") throw KeySpecs.WrongUsage(key, operation);
            var rsaAlgorithm = algorithm ?? SymmetricDefault;
            if (!KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage).Contains(rsaAlgorithm)) throw KeySpecs.IncompatibleAlgorithm(rsaAlgorithm, key.KeySpec);
            return (key, AsymmetricCrypto.Decrypt(key, rsaAlgorithm, blob), rsaAlgorithm);
        }
        if (algorithm is not null && algorithm != SymmetricDefault)
            throw new AwsException("InvalidKeyUsageException", $"{algorithm} is not supported by a SYMMETRIC_DEFAULT key.");
        var (symmetric, plaintext) = _ring.Open(ctx.Scope, blob, keyId, context);
        return (symmetric, plaintext, SymmetricDefault);
    }

    private static int DataKeySize(Dictionary<string, object?> input)
    {
        var spec = input.GetString("KeySpec");
        var bytes = input.GetInt("NumberOfBytes");
        if ((spec is null) == (bytes is null))
            throw AwsException.Validation("Please specify either number of bytes or key spec.");
        return spec switch
        {
            "AES_256" => 32,
            "AES_128" => 16,
            null when bytes is >= 1 and <= 1024 => bytes.Value,
            null => throw AwsException.Validation($"1 validation error detected: Value '{bytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024"),
            _ => throw AwsException.Validation($"1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"),
        };
    }
}
