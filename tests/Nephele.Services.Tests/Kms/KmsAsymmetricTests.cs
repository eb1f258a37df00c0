using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsAsymmetricTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    private static readonly byte[] Message = "the message to sign"u8.ToArray();

    [Theory]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_256")]
    [InlineData("RSA_3072", "RSASSA_PKCS1_V1_5_SHA_384")]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_512")]
    [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256")]
    public async Task Rsa_signature_verifies_locally_with_the_public_key(string spec, string algorithm)
    {
        var key = await NewKey(KeySpec.FindValue(spec), KeyUsageType.SIGN_VERIFY);
        var signature = await SignAsync(key.KeyId, algorithm, Message, MessageType.RAW);

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(await PublicKeyAsync(key.KeyId), out _);
        var padding = algorithm.Contains("PSS") ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        Assert.True(rsa.VerifyData(Message, signature, Hash(algorithm), padding));
    }

    [Theory]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_256")]
    [InlineData("ECC_NIST_P384", "ECDSA_SHA_384")]
    [InlineData("ECC_NIST_P521", "ECDSA_SHA_512")]
    public async Task Ecdsa_signature_is_der_and_verifies_locally_with_the_public_key(string spec, string algorithm)
    {
        var key = await NewKey(KeySpec.FindValue(spec), KeyUsageType.SIGN_VERIFY);
        var signature = await SignAsync(key.KeyId, algorithm, Message, MessageType.RAW);

        Assert.Equal(0x30, signature[0]);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(await PublicKeyAsync(key.KeyId), out _);
        Assert.True(ecdsa.VerifyData(Message, signature, Hash(algorithm), DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public async Task Secp256k1_keys_sign_when_the_platform_supports_the_curve_and_are_refused_clearly_otherwise()
    {
        bool supported;
        try
        {
            using var probe = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));
            supported = true;
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            supported = false;
        }
        if (!supported)
        {
            var error = await Assert.ThrowsAsync<UnsupportedOperationException>(() => NewKey(KeySpec.ECC_SECG_P256K1, KeyUsageType.SIGN_VERIFY));
            Assert.Contains("ECC_SECG_P256K1", error.Message);
            return;
        }
        var key = await NewKey(KeySpec.ECC_SECG_P256K1, KeyUsageType.SIGN_VERIFY);
        var signature = await SignAsync(key.KeyId, "ECDSA_SHA_256", Message, MessageType.RAW);
        var verified = await Kms().VerifyAsync(new VerifyRequest
        {
            KeyId = key.KeyId,
            Message = new MemoryStream(Message),
            Signature = new MemoryStream(signature),
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        });
        Assert.True(verified.SignatureValid);
    }

    [Fact]
    public async Task Digest_message_is_signed_as_given_and_must_have_the_digest_length()
    {
        var key = await NewKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        var digest = SHA256.HashData(Message);
        var signature = await SignAsync(key.KeyId, "ECDSA_SHA_256", digest, MessageType.DIGEST);

        // A signature over the digest is a signature over the raw message.
        var verified = await Kms().VerifyAsync(new VerifyRequest
        {
            KeyId = key.KeyId,
            Message = new MemoryStream(Message),
            MessageType = MessageType.RAW,
            Signature = new MemoryStream(signature),
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        });
        Assert.True(verified.SignatureValid);
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => SignAsync(key.KeyId, "ECDSA_SHA_256", digest[..20], MessageType.DIGEST));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Wrong_signature_is_an_invalid_signature()
    {
        var key = await NewKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        var signature = await SignAsync(key.KeyId, "RSASSA_PSS_SHA_256", Message, MessageType.RAW);
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Kms().VerifyAsync(new VerifyRequest
        {
            KeyId = key.KeyId,
            Message = Bytes("another message"),
            Signature = new MemoryStream(signature),
            SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PSS_SHA_256,
        }));
    }

    [Fact]
    public async Task Signing_algorithm_must_suit_the_key_and_the_key_must_sign()
    {
        var ecc = await NewKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        var error = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => SignAsync(ecc.KeyId, "RSASSA_PSS_SHA_256", Message, MessageType.RAW));
        Assert.Equal("Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256.", error.Message);

        var symmetric = await NewKey();
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => SignAsync(symmetric.KeyId, "ECDSA_SHA_256", Message, MessageType.RAW));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = ecc.KeyId, Plaintext = Bytes("x") }));
    }

    [Fact]
    public async Task Asymmetric_keys_are_described_with_their_spec_usage_and_algorithms()
    {
        var signing = await NewKey(KeySpec.RSA_4096, KeyUsageType.SIGN_VERIFY);
        Assert.Equal(KeySpec.RSA_4096, signing.KeySpec);
        Assert.Equal(KeyUsageType.SIGN_VERIFY, signing.KeyUsage);
        Assert.Contains("RSASSA_PSS_SHA_256", signing.SigningAlgorithms);
        Assert.Equal(6, signing.SigningAlgorithms.Count);
        Assert.True(signing.EncryptionAlgorithms is null || signing.EncryptionAlgorithms.Count == 0);

        var encrypting = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = (await NewKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT)).KeyId })).KeyMetadata;
        Assert.Equal(["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"], encrypting.EncryptionAlgorithms);

        var publicKey = await Kms().GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = signing.KeyId });
        Assert.Equal(KeySpec.RSA_4096, publicKey.KeySpec);
        Assert.Equal(KeyUsageType.SIGN_VERIFY, publicKey.KeyUsage);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey.PublicKey.ToArray(), out _);
        Assert.Equal(4096, rsa.KeySize);
    }

    [Theory]
    [InlineData("RSAES_OAEP_SHA_1")]
    [InlineData("RSAES_OAEP_SHA_256")]
    public async Task Rsa_encryption_is_raw_oaep_that_round_trips_with_local_rsa(string algorithm)
    {
        var key = await NewKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        var padding = algorithm == "RSAES_OAEP_SHA_1" ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;
        var encrypted = await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("secret"), EncryptionAlgorithm = EncryptionAlgorithmSpec.FindValue(algorithm) });
        Assert.Equal(256, encrypted.CiphertextBlob.Length);
        Assert.Equal(algorithm, encrypted.EncryptionAlgorithm.Value);

        var decrypted = await Kms().DecryptAsync(new DecryptRequest
        {
            KeyId = key.KeyId,
            CiphertextBlob = encrypted.CiphertextBlob,
            EncryptionAlgorithm = EncryptionAlgorithmSpec.FindValue(algorithm),
        });
        Assert.Equal("secret", Text(decrypted.Plaintext));

        // What a client encrypts locally with the public key, KMS decrypts.
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(await PublicKeyAsync(key.KeyId), out _);
        var local = rsa.Encrypt("made locally"u8.ToArray(), padding);
        var fromLocal = await Kms().DecryptAsync(new DecryptRequest
        {
            KeyId = key.KeyId,
            CiphertextBlob = new MemoryStream(local),
            EncryptionAlgorithm = EncryptionAlgorithmSpec.FindValue(algorithm),
        });
        Assert.Equal("made locally", Text(fromLocal.Plaintext));
    }

    [Fact]
    public async Task Rsa_encryption_needs_an_rsa_algorithm_and_a_plaintext_that_fits()
    {
        var key = await NewKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        var error = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));
        Assert.Equal("Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.", error.Message);
        var tooLong = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Kms().EncryptAsync(new EncryptRequest
        {
            KeyId = key.KeyId,
            Plaintext = new MemoryStream(new byte[191]),
            EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256,
        }));
        Assert.Equal("ValidationException", tooLong.ErrorCode);
    }

    [Fact]
    public async Task Rsa_ciphertext_decrypted_with_the_wrong_algorithm_is_invalid()
    {
        var key = await NewKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        var encrypted = await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x"), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 });
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms().DecryptAsync(new DecryptRequest
        {
            KeyId = key.KeyId,
            CiphertextBlob = encrypted.CiphertextBlob,
            EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1,
        }));
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_NIST_P256")]
    public async Task Data_key_pair_private_key_decrypts_and_matches_the_public_key(string spec)
    {
        var key = await NewKey();
        var pair = await Kms().GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.FindValue(spec) });
        Assert.Equal(key.Arn, pair.KeyId);
        Assert.Equal(spec, pair.KeyPairSpec.Value);

        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob });
        Assert.Equal(pair.PrivateKeyPlaintext.ToArray(), decrypted.Plaintext.ToArray());
        using AsymmetricAlgorithm local = spec.StartsWith("RSA") ? RSA.Create() : ECDsa.Create();
        local.ImportPkcs8PrivateKey(decrypted.Plaintext.ToArray(), out _);
        Assert.Equal(pair.PublicKey.ToArray(), local.ExportSubjectPublicKeyInfo());

        var withoutPlaintext = await Kms().GenerateDataKeyPairWithoutPlaintextAsync(new GenerateDataKeyPairWithoutPlaintextRequest
        {
            KeyId = key.KeyId,
            KeyPairSpec = DataKeyPairSpec.FindValue(spec),
        });
        Assert.NotNull(withoutPlaintext.PrivateKeyCiphertextBlob);
        Assert.NotNull(withoutPlaintext.PublicKey);
    }

    [Fact]
    public async Task Data_key_pair_needs_a_symmetric_encryption_key()
    {
        var signing = await NewKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() =>
            Kms().GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = signing.KeyId, KeyPairSpec = DataKeyPairSpec.RSA_2048 }));
    }

    private async Task<byte[]> SignAsync(string keyId, string algorithm, byte[] message, MessageType type) =>
        (await Kms().SignAsync(new SignRequest
        {
            KeyId = keyId,
            Message = new MemoryStream(message),
            MessageType = type,
            SigningAlgorithm = SigningAlgorithmSpec.FindValue(algorithm),
        })).Signature.ToArray();

    private async Task<byte[]> PublicKeyAsync(string keyId) =>
        (await Kms().GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();

    private static HashAlgorithmName Hash(string algorithm) => algorithm[^3..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
