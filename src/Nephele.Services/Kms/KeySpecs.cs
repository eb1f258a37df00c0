using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>What each KeySpec is: the key usages it allows and the algorithms it offers, as AWS lists them in DescribeKey.</summary>
internal static class KeySpecs
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";

    private static readonly string[] RsaSigning =
    [
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
    ];

    private static readonly string[] RsaEncryption = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

    /// <summary>Every spec in the API, including those Nephele answers with a clear error.</summary>
    public static readonly string[] All =
    [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
        SymmetricDefault, "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519",
    ];

    public static bool IsRsa(string spec) => spec.StartsWith("RSA_", StringComparison.Ordinal);

    public static bool IsEcc(string spec) => spec.StartsWith("ECC_", StringComparison.Ordinal);

    public static bool IsHmac(string spec) => spec.StartsWith("HMAC_", StringComparison.Ordinal);

    public static bool IsAsymmetric(string spec) => IsRsa(spec) || IsEcc(spec);

    /// <summary>The usages a spec allows; the first is the default when CreateKey names none.</summary>
    public static string[] Usages(string spec) => spec switch
    {
        SymmetricDefault => ["ENCRYPT_DECRYPT"],
        _ when IsRsa(spec) => ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        _ when IsEcc(spec) => ["SIGN_VERIFY"],
        _ when IsHmac(spec) => ["GENERATE_VERIFY_MAC"],
        _ => [],
    };

    public static string[] SigningAlgorithms(string spec, string usage) => usage != "SIGN_VERIFY" ? [] : spec switch
    {
        _ when IsRsa(spec) => RsaSigning,
        "ECC_NIST_P256" or "ECC_SECG_P256K1" => ["ECDSA_SHA_256"],
        "ECC_NIST_P384" => ["ECDSA_SHA_384"],
        "ECC_NIST_P521" => ["ECDSA_SHA_512"],
        _ => [],
    };

    public static string[] EncryptionAlgorithms(string spec, string usage) => usage != "ENCRYPT_DECRYPT" ? [] : spec switch
    {
        SymmetricDefault => [SymmetricDefault],
        _ when IsRsa(spec) => RsaEncryption,
        _ => [],
    };

    public static string[] MacAlgorithms(string spec) => IsHmac(spec) ? ["HMAC_SHA_" + spec[5..]] : [];

    /// <summary>New key material for a spec: 32 random bytes, an HMAC key as long as the digest, or a PKCS#8 private key.</summary>
    public static byte[] Generate(string spec)
    {
        if (spec == SymmetricDefault) return RandomNumberGenerator.GetBytes(32);
        if (IsHmac(spec)) return RandomNumberGenerator.GetBytes(int.Parse(spec[5..], System.Globalization.CultureInfo.InvariantCulture) / 8);
        if (IsRsa(spec))
        {
            using var rsa = RSA.Create(int.Parse(spec[4..], System.Globalization.CultureInfo.InvariantCulture));
            return rsa.ExportPkcs8PrivateKey();
        }
        using var ecdsa = ECDsa.Create(Curve(spec));
        return ecdsa.ExportPkcs8PrivateKey();
    }

    public static ECCurve Curve(string spec) => spec switch
    {
        "ECC_NIST_P256" => ECCurve.NamedCurves.nistP256,
        "ECC_NIST_P384" => ECCurve.NamedCurves.nistP384,
        "ECC_NIST_P521" => ECCurve.NamedCurves.nistP521,
        "ECC_SECG_P256K1" => ECCurve.CreateFromFriendlyName("secP256k1"),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, null),
    };

    /// <summary>Whether this machine's crypto library can make keys of a spec (secp256k1 depends on the OpenSSL build).</summary>
    public static bool Supported(string spec)
    {
        if (!IsEcc(spec)) return true;
        try
        {
            using var ecdsa = ECDsa.Create(Curve(spec));
            return true;
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    public static AwsException IncompatibleAlgorithm(string algorithm, string spec) =>
        new("InvalidKeyUsageException", $"Algorithm {algorithm} is incompatible with key spec {spec}.");

    public static AwsException WrongUsage(KeyRecord key, string operation) =>
        new("InvalidKeyUsageException", $"{key.Arn} key usage is {key.KeyUsage} which is not valid for {operation}.");
}
