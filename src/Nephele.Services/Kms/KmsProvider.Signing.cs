using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private Dictionary<string, object?> Sign(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (key, algorithm, digest) = SigningInput(ctx, input, "Sign");
        return new()
        {
            ["KeyId"] = key.Arn,
            ["Signature"] = AsymmetricCrypto.Sign(key, algorithm, digest),
            ["SigningAlgorithm"] = algorithm,
        };
    }

    private Dictionary<string, object?> Verify(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (key, algorithm, digest) = SigningInput(ctx, input, "Verify");
        var signature = input.GetBlob("Signature") is { Length: > 0 } given ? given : throw AwsException.Validation(
            "1 validation error detected: Value at 'signature' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (!AsymmetricCrypto.Verify(key, algorithm, digest, signature))
            throw new AwsException("KMSInvalidSignatureException", "");
        return new() { ["KeyId"] = key.Arn, ["SignatureValid"] = true, ["SigningAlgorithm"] = algorithm };
    }

    private Dictionary<string, object?> GetPublicKey(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        if (!KeySpecs.IsAsymmetric(key.KeySpec))
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} key spec is {key.KeySpec} which is not valid for GetPublicKey.");
        var output = new Dictionary<string, object?>
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = AsymmetricCrypto.PublicKey(key),
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["KeyUsage"] = key.KeyUsage,
        };
        if (KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage) is { Length: > 0 } encryption) output["EncryptionAlgorithms"] = encryption.ToList<object?>();
        if (KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage) is { Length: > 0 } signing) output["SigningAlgorithms"] = signing.ToList<object?>();
        return output;
    }

    private Dictionary<string, object?> GenerateMac(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (key, algorithm, message) = MacInput(ctx, input, "GenerateMac");
        return new() { ["KeyId"] = key.Arn, ["Mac"] = Mac(key, algorithm, message), ["MacAlgorithm"] = algorithm };
    }

    private Dictionary<string, object?> VerifyMac(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (key, algorithm, message) = MacInput(ctx, input, "VerifyMac");
        var mac = input.GetBlob("Mac") ?? [];
        if (!CryptographicOperations.FixedTimeEquals(Mac(key, algorithm, message), mac))
            throw new AwsException("KMSInvalidMacException", "");
        return new() { ["KeyId"] = key.Arn, ["MacValid"] = true, ["MacAlgorithm"] = algorithm };
    }

    /// <summary>The key, algorithm and digest of a Sign or Verify request, checked as AWS checks them.</summary>
    private (KeyRecord Key, string Algorithm, byte[] Digest) SigningInput(RequestContext ctx, Dictionary<string, object?> input, string operation)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        var message = input.GetBlob("Message") ?? [];
        if (message.Length is 0 or > 4096)
            throw AwsException.Validation("1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and 4096");
        var messageType = input.GetString("MessageType") ?? "RAW";
        if (messageType is not ("RAW" or "DIGEST"))
            throw AwsException.Validation($"1 validation error detected: Value '{messageType}' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST]");
        var algorithm = input.RequireString("SigningAlgorithm");
        if (key.KeyUsage != "SIGN_VERIFY") throw KeySpecs.WrongUsage(key, operation);
        if (!KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage).Contains(algorithm)) throw KeySpecs.IncompatibleAlgorithm(algorithm, key.KeySpec);
        return (key, algorithm, AsymmetricCrypto.Digest(algorithm, message, messageType));
    }

    private (KeyRecord Key, string Algorithm, byte[] Message) MacInput(RequestContext ctx, Dictionary<string, object?> input, string operation)
    {
        var key = Usable(ctx, input.RequireString("KeyId"));
        var message = input.GetBlob("Message") ?? [];
        if (message.Length is 0 or > 4096)
            throw AwsException.Validation("1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and 4096");
        var algorithm = input.RequireString("MacAlgorithm");
        if (key.KeyUsage != "GENERATE_VERIFY_MAC") throw KeySpecs.WrongUsage(key, operation);
        if (!KeySpecs.MacAlgorithms(key.KeySpec).Contains(algorithm)) throw KeySpecs.IncompatibleAlgorithm(algorithm, key.KeySpec);
        return (key, algorithm, message);
    }

    private static byte[] Mac(KeyRecord key, string algorithm, byte[] message) => algorithm switch
    {
        "HMAC_SHA_224" => Sha224.Hmac(key.Material, message),
        "HMAC_SHA_256" => HMACSHA256.HashData(key.Material, message),
        "HMAC_SHA_384" => HMACSHA384.HashData(key.Material, message),
        _ => HMACSHA512.HashData(key.Material, message),
    };
}
