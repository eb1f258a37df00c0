using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Nephele.Services.Tests.Iam;

namespace Nephele.Services.Tests.Kms;

/// <summary>KMS grants, kms:ViaService and cross-account secrets under --enforce-iam.</summary>
public sealed class KmsEnforcementTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "310987654321";
    private const string OtherAccount = "410987654321";

    private AmazonKeyManagementServiceClient Kms(string key, string secret = "secret") =>
        nephele.Client((c, cfg) => new AmazonKeyManagementServiceClient(c, (AmazonKeyManagementServiceConfig)cfg), new AmazonKeyManagementServiceConfig(), key, secret);

    /// <summary>A new IAM user of <paramref name="account"/> with the given inline policy; returns its ARN and access key.</summary>
    private async Task<(string Arn, string Key, string Secret)> User(string account, string policy)
    {
        var iam = new IamClient(nephele.Http(), account);
        var name = $"u{Guid.NewGuid():N}"[..16];
        await iam.Call("CreateUser", ("UserName", name));
        await iam.Call("PutUserPolicy", ("UserName", name), ("PolicyName", "scenario"), ("PolicyDocument", policy));
        var key = (await iam.Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!;
        return ($"arn:aws:iam::{account}:user/{name}", key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    private static string Allow(string actions, string resource = "*", string effect = "Allow") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Action":[{{actions}}],"Resource":"{{resource}}"}]}""";

    private static MemoryStream Bytes() => new([1, 2, 3, 4]);

    [Fact]
    public async Task A_grant_lets_its_grantee_use_the_key_within_its_constraints_without_an_identity_policy()
    {
        var root = Kms(Account);
        var key = (await root.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var (arn, id, secret) = await User(Account, Allow("\"sqs:ListQueues\""));
        var user = Kms(id, secret);
        var context = new Dictionary<string, string> { ["app"] = "billing", ["stage"] = "prod" };
        Assert.Equal("AccessDeniedException", (await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            user.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes(), EncryptionContext = context }))).ErrorCode);

        await root.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = arn,
            Operations = ["Encrypt", "Decrypt"],
            Constraints = new GrantConstraints { EncryptionContextSubset = new() { ["app"] = "billing" } },
        });
        var sealedText = await user.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes(), EncryptionContext = context });
        var opened = await user.DecryptAsync(new DecryptRequest { CiphertextBlob = sealedText.CiphertextBlob, EncryptionContext = context });
        Assert.Equal([1, 2, 3, 4], opened.Plaintext.ToArray());

        // Outside the grant's constraint, or an operation it does not list: refused.
        await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => user.EncryptAsync(new EncryptRequest
        {
            KeyId = key.KeyId,
            Plaintext = Bytes(),
            EncryptionContext = new() { ["app"] = "payroll" },
        }));
        await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            user.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = context }));
    }

    [Fact]
    public async Task An_explicit_deny_in_an_identity_policy_beats_a_grant()
    {
        var root = Kms(Account);
        var key = (await root.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var (arn, id, secret) = await User(Account, Allow("\"kms:Encrypt\"", effect: "Deny"));
        await root.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = arn, Operations = ["Encrypt"] });
        var denied = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            Kms(id, secret).EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes() }));
        Assert.Contains("explicit deny", denied.Message);
    }

    [Fact]
    public async Task The_retiring_principal_may_retire_a_grant_and_others_may_not()
    {
        var root = Kms(Account);
        var key = (await root.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        var (retiringArn, retiringId, retiringSecret) = await User(Account, Allow("\"sqs:ListQueues\""));
        var (granteeArn, otherId, otherSecret) = await User(Account, Allow("\"sqs:ListQueues\""));
        var grant = await root.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = granteeArn,
            RetiringPrincipal = retiringArn,
            Operations = ["Decrypt"],
        });
        // The grantee may use the grant but not retire it (the grant does not include RetireGrant).
        await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            Kms(otherId, otherSecret).RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken }));
        await Kms(retiringId, retiringSecret).RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken });
        Assert.Empty((await root.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
    }

    [Fact]
    public async Task Secrets_Manager_decrypts_with_kms_ViaService_so_a_key_policy_can_require_the_service()
    {
        var root = Kms(Account);
        var (arn, id, secret) = await User(Account, Allow("\"secretsmanager:GetSecretValue\""));
        async Task<string> KeyFor(string viaService) => (await root.CreateKeyAsync(new CreateKeyRequest
        {
            Policy = $$"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Allow","Principal":{"AWS":"{{arn}}"},"Action":"kms:Decrypt","Resource":"*",
                   "Condition":{"StringEquals":{"kms:ViaService":"{{viaService}}","kms:CallerAccount":"{{Account}}"} } }]}
                """,
        })).KeyMetadata.Arn;
        var viaSecretsManager = await KeyFor("secretsmanager.us-east-1.amazonaws.com");
        var viaSsm = await KeyFor("ssm.us-east-1.amazonaws.com");
        var owner = new EnforcementClient(nephele.Http(), Account, "secretsmanager");
        var name = $"via-{Guid.NewGuid():N}";
        await owner.Json("secretsmanager.CreateSecret", new { Name = name, SecretString = "through secrets manager", KmsKeyId = viaSecretsManager });
        await owner.Json("secretsmanager.CreateSecret", new { Name = name + "-ssm", SecretString = "x", KmsKeyId = viaSsm });

        var user = new EnforcementClient(nephele.Http(), id, "secretsmanager");
        var read = await user.Json("secretsmanager.GetSecretValue", new { SecretId = name });
        Assert.Equal("through secrets manager", read.Json.GetProperty("SecretString").GetString());
        var refused = await user.Json("secretsmanager.GetSecretValue", new { SecretId = name + "-ssm" });
        Assert.Equal("AccessDeniedException", refused.ErrorType);
        Assert.Equal("Access to KMS is not allowed", refused.Message);
        // Directly, without the service, the key policy does not let the user decrypt.
        var direct = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            Kms(id, secret).DecryptAsync(new DecryptRequest { KeyId = viaSecretsManager, CiphertextBlob = new MemoryStream(new byte[64]) }));
        Assert.Equal("AccessDeniedException", direct.ErrorCode);
    }

    [Fact]
    public async Task A_principal_of_another_account_reads_a_secret_by_ARN_when_the_resource_policy_and_a_customer_key_allow_it()
    {
        var reader = await User(OtherAccount, """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},
              {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}
            """);
        var key = (await Kms(Account).CreateKeyAsync(new CreateKeyRequest
        {
            Policy = $$"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Allow","Principal":{"AWS":"{{reader.Arn}}"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}
                """,
        })).KeyMetadata.Arn;
        var owner = new EnforcementClient(nephele.Http(), Account, "secretsmanager");
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{reader.Arn}}"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}
            """;
        var shared = (await owner.Json("secretsmanager.CreateSecret", new { Name = $"shared-{Guid.NewGuid():N}", SecretString = "for B", KmsKeyId = key })).Json.GetProperty("ARN").GetString()!;
        var managed = (await owner.Json("secretsmanager.CreateSecret", new { Name = $"managed-{Guid.NewGuid():N}", SecretString = "not for B" })).Json.GetProperty("ARN").GetString()!;
        var unshared = (await owner.Json("secretsmanager.CreateSecret", new { Name = $"private-{Guid.NewGuid():N}", SecretString = "mine", KmsKeyId = key })).Json.GetProperty("ARN").GetString()!;
        await owner.Json("secretsmanager.PutResourcePolicy", new { SecretId = shared, ResourcePolicy = policy });
        await owner.Json("secretsmanager.PutResourcePolicy", new { SecretId = managed, ResourcePolicy = policy });

        var client = new EnforcementClient(nephele.Http(), reader.Key, "secretsmanager");
        var read = await client.Json("secretsmanager.GetSecretValue", new { SecretId = shared });
        Assert.Equal("for B", read.Json.GetProperty("SecretString").GetString());
        // aws/secretsmanager cannot be used across accounts.
        var viaManagedKey = await client.Json("secretsmanager.GetSecretValue", new { SecretId = managed });
        Assert.Equal("AccessDeniedException", viaManagedKey.ErrorType);
        Assert.Equal("Access to KMS is not allowed", viaManagedKey.Message);
        // Without the secret's resource policy the other account's identity policy is not enough.
        var noPolicy = await client.Json("secretsmanager.GetSecretValue", new { SecretId = unshared });
        Assert.Equal("AccessDeniedException", noPolicy.ErrorType);
        Assert.Contains("because no resource-based policy allows", noPolicy.Message);
    }
}
