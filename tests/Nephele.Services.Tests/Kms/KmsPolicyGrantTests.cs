using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsPolicyGrantTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task New_key_has_the_aws_default_key_policy()
    {
        var key = await NewKey();
        var policy = await Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default" });
        Assert.Equal("default", policy.PolicyName);
        using var document = JsonDocument.Parse(policy.Policy);
        Assert.Equal("key-default-1", document.RootElement.GetProperty("Id").GetString());
        var statement = document.RootElement.GetProperty("Statement")[0];
        Assert.Equal("arn:aws:iam::000000000000:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal("kms:*", statement.GetProperty("Action").GetString());

        var names = await Kms().ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key.KeyId });
        Assert.Equal(["default"], names.PolicyNames);
    }

    [Fact]
    public async Task Policy_given_at_creation_or_put_later_is_returned()
    {
        const string created = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}""";
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest { Policy = created })).KeyMetadata;
        Assert.Equal(created, (await Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);

        const string put = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}""";
        await Kms().PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.Arn, Policy = put, PolicyName = "default" });
        Assert.Equal(put, (await Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);
    }

    [Fact]
    public async Task Malformed_policy_is_rejected_and_changes_nothing()
    {
        var key = await NewKey();
        var before = (await Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy;
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() =>
            Kms().PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = "{not json" }));
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() =>
            Kms().CreateKeyAsync(new CreateKeyRequest { Policy = """{"Version":"2012-10-17"}""" }));
        Assert.Equal(before, (await Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);
    }

    [Fact]
    public async Task Only_the_default_policy_name_exists()
    {
        var key = await NewKey();
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "other" }));
    }

    [Fact]
    public async Task Grant_is_listed_and_revoked()
    {
        var key = await NewKey();
        var grant = await Kms().CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = "arn:aws:iam::000000000000:role/app",
            Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt],
            Constraints = new GrantConstraints { EncryptionContextSubset = new() { ["tenant"] = "a" } },
            Name = "app-grant",
        });
        Assert.Equal(64, grant.GrantId.Length);
        Assert.False(string.IsNullOrEmpty(grant.GrantToken));

        var listed = Assert.Single((await Kms().ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
        Assert.Equal(grant.GrantId, listed.GrantId);
        Assert.Equal(key.Arn, listed.KeyId);
        Assert.Equal("app-grant", listed.Name);
        Assert.Equal(["Encrypt", "Decrypt"], listed.Operations);
        Assert.Equal("a", listed.Constraints.EncryptionContextSubset["tenant"]);

        // Grant tokens are accepted by cryptographic operations.
        await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x"), GrantTokens = [grant.GrantToken] });

        await Kms().RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId });
        Assert.Empty((await Kms().ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId }));
    }

    [Fact]
    public async Task Repeating_a_named_grant_returns_the_same_grant()
    {
        var key = await NewKey();
        var request = new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::000000000000:role/a", Operations = [GrantOperation.Decrypt], Name = "same" };
        var first = await Kms().CreateGrantAsync(request);
        var second = await Kms().CreateGrantAsync(request);
        Assert.Equal(first.GrantId, second.GrantId);
    }

    [Fact]
    public async Task Retiring_principal_lists_and_retires_its_grants_by_token_or_id()
    {
        var key = await NewKey();
        var retiring = $"arn:aws:iam::000000000000:role/retirer-{key.KeyId}";
        var byToken = await Kms().CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = "arn:aws:iam::000000000000:role/a",
            RetiringPrincipal = retiring,
            Operations = [GrantOperation.Decrypt],
        });
        var byId = await Kms().CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = "arn:aws:iam::000000000000:role/b",
            RetiringPrincipal = retiring,
            Operations = [GrantOperation.Encrypt],
        });

        var retirable = await Kms().ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = retiring });
        Assert.Equal(2, retirable.Grants.Count);

        await Kms().RetireGrantAsync(new RetireGrantRequest { GrantToken = byToken.GrantToken });
        await Kms().RetireGrantAsync(new RetireGrantRequest { KeyId = key.Arn, GrantId = byId.GrantId });
        Assert.Empty((await Kms().ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = retiring })).Grants);
        await Assert.ThrowsAsync<InvalidGrantTokenException>(() => Kms().RetireGrantAsync(new RetireGrantRequest { GrantToken = byToken.GrantToken }));
    }

    [Fact]
    public async Task Grant_needs_valid_operations()
    {
        var key = await NewKey();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Kms().CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = "arn:aws:iam::000000000000:role/a",
            Operations = [new GrantOperation("Explode")],
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }
}
