using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private static AmazonKeyManagementServiceClient Client(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"),
            new AmazonKeyManagementServiceConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Key_and_alias_survive_a_restart_and_still_decrypt()
    {
        string keyId;
        MemoryStream blob;
        await using (var first = await _nephele.StartAsync())
        {
            var kms = Client(first);
            keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "durable" })).KeyMetadata.KeyId;
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/durable", TargetKeyId = keyId });
            blob = (await kms.EncryptAsync(new EncryptRequest
            {
                KeyId = "alias/durable",
                Plaintext = new MemoryStream("kept"u8.ToArray()),
                EncryptionContext = new() { ["k"] = "v" },
            })).CiphertextBlob;
        }

        await using var second = await _nephele.StartAsync();
        var after = Client(second);
        Assert.Equal(keyId, (await after.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/durable" })).KeyMetadata.KeyId);
        var decrypted = await after.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = new() { ["k"] = "v" } });
        Assert.Equal("kept"u8.ToArray(), decrypted.Plaintext.ToArray());
    }

    [Fact]
    public async Task Rotated_and_asymmetric_keys_survive_a_restart()
    {
        string symmetricId, signingId;
        MemoryStream before;
        byte[] signature;
        await using (var first = await _nephele.StartAsync())
        {
            var kms = Client(first);
            symmetricId = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
            before = (await kms.EncryptAsync(new EncryptRequest { KeyId = symmetricId, Plaintext = new MemoryStream("v0"u8.ToArray()) })).CiphertextBlob;
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = symmetricId });
            signingId = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.KeyId;
            signature = (await kms.SignAsync(new SignRequest
            {
                KeyId = signingId,
                Message = new MemoryStream("m"u8.ToArray()),
                SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
            })).Signature.ToArray();
        }

        await using var second = await _nephele.StartAsync();
        var after = Client(second);
        Assert.Equal("v0"u8.ToArray(), (await after.DecryptAsync(new DecryptRequest { CiphertextBlob = before })).Plaintext.ToArray());
        Assert.Single((await after.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = symmetricId })).Rotations);
        var verified = await after.VerifyAsync(new VerifyRequest
        {
            KeyId = signingId,
            Message = new MemoryStream("m"u8.ToArray()),
            Signature = new MemoryStream(signature),
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        });
        Assert.True(verified.SignatureValid);
    }
}
