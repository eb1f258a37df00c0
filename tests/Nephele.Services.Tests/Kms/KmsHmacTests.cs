using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsHmacTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Theory]
    [InlineData("HMAC_224", "HMAC_SHA_224", 28)]
    [InlineData("HMAC_256", "HMAC_SHA_256", 32)]
    [InlineData("HMAC_384", "HMAC_SHA_384", 48)]
    [InlineData("HMAC_512", "HMAC_SHA_512", 64)]
    public async Task Mac_has_the_digest_length_and_verifies(string spec, string algorithm, int length)
    {
        var key = await NewKey(KeySpec.FindValue(spec), KeyUsageType.GENERATE_VERIFY_MAC);
        Assert.Equal([algorithm], key.MacAlgorithms);
        var mac = await Kms().GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = Bytes("data"), MacAlgorithm = MacAlgorithmSpec.FindValue(algorithm) });
        Assert.Equal(length, mac.Mac.Length);
        Assert.Equal(key.Arn, mac.KeyId);

        var again = await Kms().GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = Bytes("data"), MacAlgorithm = MacAlgorithmSpec.FindValue(algorithm) });
        Assert.Equal(mac.Mac.ToArray(), again.Mac.ToArray());
        var verified = await Kms().VerifyMacAsync(new VerifyMacRequest
        {
            KeyId = key.KeyId,
            Message = Bytes("data"),
            Mac = new MemoryStream(mac.Mac.ToArray()),
            MacAlgorithm = MacAlgorithmSpec.FindValue(algorithm),
        });
        Assert.True(verified.MacValid);
    }

    [Fact]
    public async Task Wrong_mac_is_an_invalid_mac()
    {
        var key = await NewKey(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => Kms().VerifyMacAsync(new VerifyMacRequest
        {
            KeyId = key.KeyId,
            Message = Bytes("data"),
            Mac = new MemoryStream(new byte[32]),
            MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256,
        }));
    }

    [Fact]
    public async Task Mac_algorithm_must_match_the_key_spec()
    {
        var key = await NewKey(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() =>
            Kms().GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = Bytes("data"), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));
    }

    [Fact]
    public void Sha_224_and_its_hmac_match_the_published_test_vectors()
    {
        Assert.Equal("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", Convert.ToHexStringLower(Nephele.Services.Kms.Sha224.Hash("abc"u8.ToArray())));
        Assert.Equal("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", Convert.ToHexStringLower(Nephele.Services.Kms.Sha224.Hash([])));
        // RFC 4231 test cases 2 and 6 (a key longer than the block).
        Assert.Equal("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
            Convert.ToHexStringLower(Nephele.Services.Kms.Sha224.Hmac("Jefe"u8.ToArray(), "what do ya want for nothing?"u8.ToArray())));
        Assert.Equal("95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            Convert.ToHexStringLower(Nephele.Services.Kms.Sha224.Hmac(Enumerable.Repeat((byte)0xaa, 131).ToArray(),
                "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray())));
    }
}
