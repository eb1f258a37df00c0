using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private static readonly string[] WrappingAlgorithms = ["RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"];
    private static readonly string[] WrappingKeySpecs = ["RSA_2048", "RSA_3072", "RSA_4096", "SM2"];

    /// <summary>A fresh RSA wrapping key and import token for an EXTERNAL key, valid for 24 hours as in AWS.</summary>
    private Dictionary<string, object?> GetParametersForImport(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var algorithm = input.RequireString("WrappingAlgorithm");
        var spec = input.RequireString("WrappingKeySpec");
        if (!WrappingAlgorithms.Contains(algorithm))
            throw AwsException.Validation($"1 validation error detected: Value '{algorithm}' at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", WrappingAlgorithms)}]");
        if (!WrappingKeySpecs.Contains(spec))
            throw AwsException.Validation($"1 validation error detected: Value '{spec}' at 'wrappingKeySpec' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", WrappingKeySpecs)}]");
        if (algorithm is not ("RSAES_PKCS1_V1_5" or "RSAES_OAEP_SHA_1" or "RSAES_OAEP_SHA_256") || spec == "SM2")
            throw new AwsException("UnsupportedOperationException", $"Nephele wraps imported key material with RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 or RSAES_PKCS1_V1_5 RSA keys; {algorithm} with {spec} is not supported yet.");
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "GetParametersForImport");
        if (key.Origin != "EXTERNAL")
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} origin is {key.Origin} which is not valid for this operation.");
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        var wrappingKey = KeySpecs.Generate(spec);
        var token = RandomNumberGenerator.GetBytes(64);
        var validTo = ctx.Now.AddHours(24);
        Store.PutKey(ctx.Scope, key with { ImportWrappingKey = wrappingKey, ImportWrappingAlgorithm = algorithm, ImportToken = token, ImportParametersValidTo = validTo });
        return new Dictionary<string, object?>
        {
            ["KeyId"] = key.Arn,
            ["ImportToken"] = token,
            ["PublicKey"] = AsymmetricCrypto.PublicKey(spec, wrappingKey),
            ["ParametersValidTo"] = validTo,
        };
    });

    private Dictionary<string, object?> ImportKeyMaterial(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "ImportKeyMaterial");
        if (key.Origin != "EXTERNAL")
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} origin is {key.Origin} which is not valid for this operation.");
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        var token = input.GetBlob("ImportToken") ?? [];
        if (key.ImportToken is null || !CryptographicOperations.FixedTimeEquals(token, key.ImportToken))
            throw new AwsException("InvalidImportTokenException", "The import token is not valid for this KMS key.");
        if (key.ImportParametersValidTo <= ctx.Now)
            throw new AwsException("ExpiredImportTokenException", "The import token has expired. Use GetParametersForImport to get a new one.");
        var expiration = input.GetString("ExpirationModel") ?? (input.GetTimestamp("ValidTo") is null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES");
        var validTo = input.GetTimestamp("ValidTo");
        if (expiration == "KEY_MATERIAL_EXPIRES" && validTo is null)
            throw AwsException.Validation("A ValidTo date is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
        if (expiration == "KEY_MATERIAL_DOES_NOT_EXPIRE" && validTo is not null)
            throw AwsException.Validation("ValidTo must not be set when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
        if (validTo is { } until && until <= ctx.Now)
            throw AwsException.Validation("ValidTo must be in the future.");

        var material = Unwrap(key, input.GetBlob("EncryptedKeyMaterial") ?? []);
        var expected = key.KeySpec == SymmetricDefault ? 32 : int.Parse(key.KeySpec[5..], System.Globalization.CultureInfo.InvariantCulture) / 8;
        if (material.Length != expected)
            throw new AwsException("IncorrectKeyMaterialException", $"The key material must be {expected} bytes for KeySpec {key.KeySpec}.");
        var digest = SHA256.HashData(material);
        // Once imported, only the same key material can come back: ciphertexts were made with it.
        if (key.ImportedMaterialDigest is { Length: > 0 } previous && !CryptographicOperations.FixedTimeEquals(previous, digest))
            throw new AwsException("IncorrectKeyMaterialException", "The key material in the request is, expired, invalid, or is not the same key material that was previously imported into this KMS key.");
        var imported = key with
        {
            Material = material,
            ImportedMaterialDigest = digest,
            KeyState = key.KeyState == "PendingImport" ? "Enabled" : key.KeyState,
            ValidTo = validTo,
            ImportWrappingKey = null,
            ImportWrappingAlgorithm = null,
            ImportToken = null,
            ImportParametersValidTo = null,
        };
        Store.PutKey(ctx.Scope, imported);
        var output = new Dictionary<string, object?> { ["KeyId"] = key.Arn };
        if (key.KeySpec == SymmetricDefault) output["KeyMaterialId"] = KeyMaterial.Id(imported, imported.MaterialVersion);
        return output;
    });

    private Dictionary<string, object?> DeleteImportedKeyMaterial(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "DeleteImportedKeyMaterial");
        if (key.Origin != "EXTERNAL")
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} origin is {key.Origin} which is not valid for this operation.");
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        var materialId = key.KeySpec == SymmetricDefault && key.Material.Length > 0 ? KeyMaterial.Id(key, key.MaterialVersion) : null;
        Store.PutKey(ctx.Scope, key with { Material = [], KeyState = "PendingImport", ValidTo = null });
        return new Dictionary<string, object?> { ["KeyId"] = key.Arn, ["KeyMaterialId"] = materialId };
    });

    private static byte[] Unwrap(KeyRecord key, byte[] wrapped)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.ImportWrappingKey, out _);
        var padding = key.ImportWrappingAlgorithm switch
        {
            "RSAES_OAEP_SHA_1" => RSAEncryptionPadding.OaepSHA1,
            "RSAES_OAEP_SHA_256" => RSAEncryptionPadding.OaepSHA256,
            _ => RSAEncryptionPadding.Pkcs1,
        };
        try
        {
            return rsa.Decrypt(wrapped, padding);
        }
        catch (CryptographicException)
        {
            throw new AwsException("InvalidCiphertextException", "The EncryptedKeyMaterial could not be decrypted with the wrapping key of the import token.");
        }
    }
}
