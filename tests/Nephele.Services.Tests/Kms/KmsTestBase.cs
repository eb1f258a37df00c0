using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public abstract class KmsTestBase(NepheleFixture nephele)
{
    protected AmazonKeyManagementServiceClient Kms(string region = "us-east-1") =>
        nephele.Client((creds, cfg) => new AmazonKeyManagementServiceClient(creds, (AmazonKeyManagementServiceConfig)cfg),
            new AmazonKeyManagementServiceConfig(), region: region);

    protected async Task<KeyMetadata> NewKey(string description = "test key") =>
        (await Kms().CreateKeyAsync(new CreateKeyRequest { Description = description })).KeyMetadata;

    protected async Task<KeyMetadata> NewKey(KeySpec spec, KeyUsageType usage) =>
        (await Kms().CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage })).KeyMetadata;

    protected static MemoryStream Bytes(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    protected static string Text(MemoryStream stream) => System.Text.Encoding.UTF8.GetString(stream.ToArray());
}
