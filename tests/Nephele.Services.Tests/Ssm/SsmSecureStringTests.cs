using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Nephele.Services.Tests.Ssm;

public sealed class SsmSecureStringTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonSimpleSystemsManagementClient Ssm() =>
        nephele.Client((c, cfg) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)cfg), new AmazonSimpleSystemsManagementConfig());

    private AmazonKeyManagementServiceClient Kms() =>
        nephele.Client((c, cfg) => new AmazonKeyManagementServiceClient(c, (AmazonKeyManagementServiceConfig)cfg), new AmazonKeyManagementServiceConfig());

    private static string Unique() => $"/secure/{Guid.NewGuid():N}";

    [Fact]
    public async Task Secure_string_without_decryption_is_a_kms_ciphertext_under_the_aws_managed_ssm_key()
    {
        var name = Unique();
        await Ssm().PutParameterAsync(new PutParameterRequest { Name = name, Value = "hunter2", Type = ParameterType.SecureString });
        var hidden = (await Ssm().GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;

        var decrypted = await Kms().DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(Convert.FromBase64String(hidden.Value)),
            EncryptionContext = new() { ["PARAMETER_ARN"] = hidden.ARN },
        });
        Assert.Equal("hunter2", System.Text.Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));
        var managed = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ssm" })).KeyMetadata;
        Assert.Equal(managed.Arn, decrypted.KeyId);
        Assert.Equal(KeyManagerType.AWS, managed.KeyManager);
        Assert.Equal("hunter2", (await Ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true })).Parameter.Value);
    }

    [Fact]
    public async Task Secure_string_under_a_disabled_key_cannot_be_decrypted_until_it_is_enabled()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var name = Unique();
        await Ssm().PutParameterAsync(new PutParameterRequest { Name = name, Value = "pw", Type = ParameterType.SecureString, KeyId = key.KeyId });
        Assert.Equal(key.KeyId, (await Ssm().GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name })).Parameters.Single().KeyId);

        await Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var error = await Assert.ThrowsAsync<InvalidKeyIdException>(() => Ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }));
        Assert.Contains("DisabledException", error.Message);
        // Without decryption the ciphertext is still readable.
        await Ssm().GetParameterAsync(new GetParameterRequest { Name = name });
        await Assert.ThrowsAsync<InvalidKeyIdException>(() =>
            Ssm().PutParameterAsync(new PutParameterRequest { Name = name, Value = "pw2", Type = ParameterType.SecureString, Overwrite = true }));

        await Kms().EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        var parameter = (await Ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true })).Parameter;
        Assert.Equal("pw", parameter.Value);
        Assert.Equal(1, parameter.Version);
    }

    [Fact]
    public async Task Unknown_key_is_an_invalid_key_id_and_creates_nothing()
    {
        var name = Unique();
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => Ssm().PutParameterAsync(new PutParameterRequest
        {
            Name = name,
            Value = "pw",
            Type = ParameterType.SecureString,
            KeyId = Guid.NewGuid().ToString(),
        }));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Ssm().GetParameterAsync(new GetParameterRequest { Name = name }));
    }

    [Fact]
    public async Task History_and_path_queries_decrypt_every_version_on_request()
    {
        var name = Unique();
        await Ssm().PutParameterAsync(new PutParameterRequest { Name = name, Value = "one", Type = ParameterType.SecureString });
        await Ssm().PutParameterAsync(new PutParameterRequest { Name = name, Value = "two", Overwrite = true });

        var history = (await Ssm().GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, WithDecryption = true })).Parameters;
        Assert.Equal(["one", "two"], history.Select(p => p.Value));
        var hidden = (await Ssm().GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name })).Parameters;
        Assert.DoesNotContain(hidden, p => p.Value is "one" or "two");
        var byPath = await Ssm().GetParametersByPathAsync(new GetParametersByPathRequest { Path = name[..name.LastIndexOf('/')], WithDecryption = true });
        Assert.Contains(byPath.Parameters, p => p.Name == name && p.Value == "two");
    }
}
