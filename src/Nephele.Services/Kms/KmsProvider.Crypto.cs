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
        Algorithm(input, "EncryptionAlgorithm");
        return new()
        {
            ["CiphertextBlob"] = Ciphertext.Seal(key.KeyId, key.Material, plaintext, input.GetStringMap("EncryptionContext")),
            ["KeyId"] = key.Arn,
            ["EncryptionAlgorithm"] = SymmetricDefault,
        };
    }

    private Dictionary<string, object?> Decrypt(RequestContext ctx, Dictionary<string, object?> input)
    {
        Algorithm(input, "EncryptionAlgorithm");
        var (key, plaintext) = Open(ctx, input.GetBlob("CiphertextBlob"), input.GetString("KeyId"), input.GetStringMap("EncryptionContext"));
        return new() { ["KeyId"] = key.Arn, ["Plaintext"] = plaintext, ["EncryptionAlgorithm"] = SymmetricDefault };
    }

    private Dictionary<string, object?> ReEncrypt(RequestContext ctx, Dictionary<string, object?> input)
    {
        Algorithm(input, "SourceEncryptionAlgorithm");
        Algorithm(input, "DestinationEncryptionAlgorithm");
        var destination = Usable(ctx, input.RequireString("DestinationKeyId"));
        var (source, plaintext) = Open(ctx, input.GetBlob("CiphertextBlob"), input.GetString("SourceKeyId"), input.GetStringMap("SourceEncryptionContext"));
        return new()
        {
            ["CiphertextBlob"] = Ciphertext.Seal(destination.KeyId, destination.Material, plaintext, input.GetStringMap("DestinationEncryptionContext")),
            ["SourceKeyId"] = source.Arn,
            ["KeyId"] = destination.Arn,
            ["SourceEncryptionAlgorithm"] = SymmetricDefault,
            ["DestinationEncryptionAlgorithm"] = SymmetricDefault,
        };
    }

    private Dictionary<string, object?> GenerateDataKey(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        var dataKey = RandomNumberGenerator.GetBytes(DataKeySize(input));
        return new()
        {
            ["CiphertextBlob"] = Ciphertext.Seal(key.KeyId, key.Material, dataKey, input.GetStringMap("EncryptionContext")),
            ["Plaintext"] = dataKey,
            ["KeyId"] = key.Arn,
        };
    }

    private Dictionary<string, object?> GenerateDataKeyWithoutPlaintext(RequestContext ctx, Dictionary<string, object?> input)
    {
        var output = GenerateDataKey(ctx, input);
        output.Remove("Plaintext");
        return output;
    }

    private static Dictionary<string, object?> GenerateRandom(RequestContext ctx, Dictionary<string, object?> input)
    {
        var count = input.GetInt("NumberOfBytes") ?? throw AwsException.Validation("NumberOfBytes is required.");
        if (count is < 1 or > 1024)
            throw AwsException.Validation($"1 validation error detected: Value '{count}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024");
        return new() { ["Plaintext"] = RandomNumberGenerator.GetBytes(count) };
    }

    /// <summary>Decrypts a blob with the key it names; a KeyId given must be that key (IncorrectKeyException).</summary>
    private (KeyRecord Key, byte[] Plaintext) Open(RequestContext ctx, byte[]? blob, string? keyId, Dictionary<string, string> context)
    {
        if (blob is not { Length: > 0 })
            throw AwsException.Validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
        var sealedWith = Ciphertext.KeyIdOf(blob);
        KeyRecord key;
        try
        {
            key = Usable(ctx, sealedWith);
        }
        catch (AwsException e) when (e.Code == "NotFoundException")
        {
            throw Ciphertext.Invalid();
        }
        if (keyId is not null && Resolve(ctx, keyId).KeyId != key.KeyId)
            throw new AwsException("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
        return (key, Ciphertext.Open(blob, key.Material, context));
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

    private static void Algorithm(Dictionary<string, object?> input, string member)
    {
        if (input.GetString(member) is { } algorithm && algorithm != SymmetricDefault)
            throw new AwsException("InvalidKeyUsageException", $"{algorithm} is not supported by a SYMMETRIC_DEFAULT key.");
    }
}
