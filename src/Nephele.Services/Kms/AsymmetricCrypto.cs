using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>RSA and ECC operations on a key's PKCS#8 material, with AWS's formats: DER (SubjectPublicKeyInfo) public
/// keys, DER ECDSA signatures, raw RSA ciphertexts.</summary>
internal static class AsymmetricCrypto
{
    public static byte[] PublicKey(KeyRecord key) => PublicKey(key.KeySpec, key.Material);

    public static byte[] PublicKey(string spec, byte[] pkcs8)
    {
        if (KeySpecs.IsRsa(spec))
        {
            using var rsa = Rsa(pkcs8);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        using var ecdsa = Ecdsa(pkcs8);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The digest a signature covers: the hash of a RAW message, or a DIGEST message as given (it must have the hash's length).</summary>
    public static byte[] Digest(string algorithm, byte[] message, string messageType)
    {
        var hash = Hash(algorithm);
        if (messageType == "DIGEST")
        {
            var expected = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
            if (message.Length != expected)
                throw AwsException.Validation($"Digest is invalid length for algorithm {algorithm}.");
            return message;
        }
        return hash == HashAlgorithmName.SHA256 ? SHA256.HashData(message)
            : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(message) : SHA512.HashData(message);
    }

    public static byte[] Sign(KeyRecord key, string algorithm, byte[] digest)
    {
        if (KeySpecs.IsRsa(key.KeySpec))
        {
            using var rsa = Rsa(key.Material);
            return rsa.SignHash(digest, Hash(algorithm), Padding(algorithm));
        }
        using var ecdsa = Ecdsa(key.Material);
        return ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static bool Verify(KeyRecord key, string algorithm, byte[] digest, byte[] signature)
    {
        try
        {
            if (KeySpecs.IsRsa(key.KeySpec))
            {
                using var rsa = Rsa(key.Material);
                return rsa.VerifyHash(digest, signature, Hash(algorithm), Padding(algorithm));
            }
            using var ecdsa = Ecdsa(key.Material);
            return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>RSAES-OAEP encryption; plaintext limited to what the key size and hash allow, as in AWS.</summary>
    public static byte[] Encrypt(KeyRecord key, string algorithm, byte[] plaintext)
    {
        using var rsa = Rsa(key.Material);
        var hashLength = algorithm == "RSAES_OAEP_SHA_1" ? 20 : 32;
        var max = rsa.KeySize / 8 - 2 * hashLength - 2;
        if (plaintext.Length > max)
            throw AwsException.Validation($"Plaintext size {plaintext.Length} bytes exceeds maximum {max} bytes for key spec {key.KeySpec} and algorithm {algorithm}.");
        return rsa.Encrypt(plaintext, Oaep(algorithm));
    }

    public static byte[] Decrypt(KeyRecord key, string algorithm, byte[] ciphertext)
    {
        using var rsa = Rsa(key.Material);
        try
        {
            return rsa.Decrypt(ciphertext, Oaep(algorithm));
        }
        catch (CryptographicException)
        {
            throw Ciphertext.Invalid();
        }
    }

    /// <summary>A new key pair for GenerateDataKeyPair: (PKCS#8 private key, SubjectPublicKeyInfo public key).</summary>
    public static (byte[] Private, byte[] Public) NewPair(string spec)
    {
        var pkcs8 = KeySpecs.Generate(spec);
        return (pkcs8, PublicKey(spec, pkcs8));
    }

    private static RSA Rsa(byte[] pkcs8)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa;
    }

    private static ECDsa Ecdsa(byte[] pkcs8)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa;
    }

    private static HashAlgorithmName Hash(string algorithm) => algorithm[^3..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static RSASignaturePadding Padding(string algorithm) =>
        algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static RSAEncryptionPadding Oaep(string algorithm) =>
        algorithm == "RSAES_OAEP_SHA_1" ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;
}
