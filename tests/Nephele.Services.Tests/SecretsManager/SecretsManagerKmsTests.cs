using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.SecretsManager;

public sealed class SecretsManagerKmsTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly SecretsManagerClient _sm = new(nephele.Http());

    private AmazonKeyManagementServiceClient Kms() =>
        nephele.Client((c, cfg) => new AmazonKeyManagementServiceClient(c, (AmazonKeyManagementServiceConfig)cfg), new AmazonKeyManagementServiceConfig());

    private static string Unique() => $"kms/{Guid.NewGuid():N}";

    [Fact]
    public async Task Secret_without_a_key_is_encrypted_under_the_aws_managed_secretsmanager_key()
    {
        await _sm.Call("CreateSecret", new { Name = Unique(), SecretString = "value" });
        var aliases = (await Kms().ListAliasesAsync(new ListAliasesRequest())).Aliases;
        var alias = Assert.Single(aliases, a => a.AliasName == "alias/aws/secretsmanager");
        var key = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias.TargetKeyId })).KeyMetadata;
        Assert.Equal(KeyManagerType.AWS, key.KeyManager);
    }

    [Fact]
    public async Task Secret_under_a_disabled_key_fails_to_decrypt_and_to_encrypt_until_enabled()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "guarded", KmsKeyId = key.Arn });
        await _sm.Call("CreateSecret", new { Name = name + "-bin", SecretBinary = Convert.ToBase64String([1, 2, 3]), KmsKeyId = key.KeyId });

        await Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var (_, code, _) = await _sm.Fail("GetSecretValue", new { SecretId = name });
        Assert.Equal("DecryptionFailure", code);
        (_, code, _) = await _sm.Fail("PutSecretValue", new { SecretId = name, SecretString = "next" });
        Assert.Equal("EncryptionFailure", code);

        await Kms().EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("guarded", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
        var binary = await _sm.Call("GetSecretValue", new { SecretId = name + "-bin" });
        Assert.Equal([1, 2, 3], Convert.FromBase64String(binary.GetProperty("SecretBinary").GetString()!));
    }

    [Fact]
    public async Task Secret_with_an_unknown_key_is_not_created()
    {
        var name = Unique();
        var (_, code, _) = await _sm.Fail("CreateSecret", new { Name = name, SecretString = "x", KmsKeyId = "alias/does-not-exist" });
        Assert.Equal("EncryptionFailure", code);
        (_, code, _) = await _sm.Fail("DescribeSecret", new { SecretId = name });
        Assert.Equal("ResourceNotFoundException", code);
    }
}
