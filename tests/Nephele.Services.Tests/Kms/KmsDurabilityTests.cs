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
}
