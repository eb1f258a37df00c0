using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsManagedKeyTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Aws_managed_key_is_created_on_first_use_and_then_listed()
    {
        var described = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/s3" })).KeyMetadata;
        Assert.Equal(KeyManagerType.AWS, described.KeyManager);
        Assert.Equal(KeySpec.SYMMETRIC_DEFAULT, described.KeySpec);
        Assert.Equal(described.KeyId, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/s3" })).KeyMetadata.KeyId);

        var aliases = (await Kms().ListAliasesAsync(new ListAliasesRequest { KeyId = described.KeyId })).Aliases;
        Assert.Equal("alias/aws/s3", Assert.Single(aliases).AliasName);
        Assert.True((await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = described.KeyId })).KeyRotationEnabled);

        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = "alias/aws/s3", Plaintext = Bytes("managed") })).CiphertextBlob;
        Assert.Equal("managed", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext));
    }

    [Fact]
    public async Task Aws_managed_key_cannot_be_deleted_disabled_or_repolicied()
    {
        var key = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/lambda" })).KeyMetadata;
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("kms:ScheduleKeyDeletion", error.Message);
        error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(KeyState.Enabled, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task Unknown_aws_alias_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/not-a-service" }));
    }

    [Fact]
    public async Task Multi_region_key_has_an_mrk_id_and_its_replica_decrypts_its_ciphertexts()
    {
        var primary = (await Kms().CreateKeyAsync(new CreateKeyRequest { MultiRegion = true, Description = "global" })).KeyMetadata;
        Assert.StartsWith("mrk-", primary.KeyId);
        Assert.True(primary.MultiRegion);
        Assert.Equal(MultiRegionKeyType.PRIMARY, primary.MultiRegionConfiguration.MultiRegionKeyType);

        var replica = await Kms().ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.KeyId, ReplicaRegion = "eu-west-1" });
        Assert.Equal($"arn:aws:kms:eu-west-1:000000000000:key/{primary.KeyId}", replica.ReplicaKeyMetadata.Arn);
        Assert.Equal(MultiRegionKeyType.REPLICA, replica.ReplicaKeyMetadata.MultiRegionConfiguration.MultiRegionKeyType);

        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = primary.KeyId, Plaintext = Bytes("everywhere") })).CiphertextBlob;
        var decrypted = await Kms("eu-west-1").DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
        Assert.Equal("everywhere", Text(decrypted.Plaintext));
        Assert.Equal(replica.ReplicaKeyMetadata.Arn, decrypted.KeyId);

        var described = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = primary.KeyId })).KeyMetadata;
        Assert.Equal("eu-west-1", Assert.Single(described.MultiRegionConfiguration.ReplicaKeys).Region);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Kms().ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.KeyId, ReplicaRegion = "eu-west-1" }));
    }

    [Fact]
    public async Task Single_region_key_cannot_be_replicated()
    {
        var key = await NewKey();
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms().ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = key.KeyId, ReplicaRegion = "eu-west-1" }));
    }
}
