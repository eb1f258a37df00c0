using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsKeyTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Created_key_is_an_enabled_symmetric_key_with_a_uuid_and_arn()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest
        {
            Description = "orders",
            Tags = [new Tag { TagKey = "team", TagValue = "payments" }],
        })).KeyMetadata;

        Assert.True(Guid.TryParse(key.KeyId, out _));
        Assert.Equal($"arn:aws:kms:us-east-1:000000000000:key/{key.KeyId}", key.Arn);
        Assert.Equal("orders", key.Description);
        Assert.True(key.Enabled);
        Assert.Equal(KeyState.Enabled, key.KeyState);
        Assert.Equal(KeySpec.SYMMETRIC_DEFAULT, key.KeySpec);
        Assert.Equal(KeyUsageType.ENCRYPT_DECRYPT, key.KeyUsage);
        var tags = await Kms().ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        Assert.Equal("payments", Assert.Single(tags.Tags).TagValue);
    }

    [Fact]
    public async Task Key_usage_must_suit_the_key_spec()
    {
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.ENCRYPT_DECRYPT }));
        Assert.Equal("ValidationException", error.ErrorCode);
        error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.SYMMETRIC_DEFAULT, KeyUsage = KeyUsageType.SIGN_VERIFY }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Key_description_is_updated()
    {
        var key = await NewKey("before");
        await Kms().UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "after" });
        Assert.Equal("after", (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Description);
    }

    [Fact]
    public async Task Tagging_through_an_alias_is_an_invalid_key_id()
    {
        var key = await NewKey();
        var alias = $"alias/tagged-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            Kms().TagResourceAsync(new TagResourceRequest { KeyId = alias, Tags = [new Tag { TagKey = "a", TagValue = "1" }] }));
        Assert.Equal($"Invalid keyId {alias}", error.Message);
    }

    [Fact]
    public async Task Key_is_described_by_id_arn_alias_name_and_alias_arn()
    {
        var key = await NewKey();
        var alias = $"alias/describe-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });

        foreach (var id in new[] { key.KeyId, key.Arn, alias, $"arn:aws:kms:us-east-1:000000000000:{alias}" })
            Assert.Equal(key.KeyId, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = id })).KeyMetadata.KeyId);
    }

    [Fact]
    public async Task Describing_an_unknown_key_is_not_found()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = Guid.NewGuid().ToString() }));
        Assert.Contains("does not exist", error.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/nothing-here" }));
    }

    [Fact]
    public async Task Listing_keys_pages_through_every_key_once()
    {
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++) created.Add((await NewKey()).KeyId);

        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = await Kms().ListKeysAsync(new ListKeysRequest { Limit = 2, Marker = marker });
            Assert.True(page.Keys.Count <= 2);
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), created);
    }

    [Fact]
    public async Task Disabled_key_refuses_to_encrypt_until_enabled_again()
    {
        var key = await NewKey();
        await Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        Assert.Equal(KeyState.Disabled, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
        await Assert.ThrowsAsync<DisabledException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));

        await Kms().EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") });
    }

    [Fact]
    public async Task Key_pending_deletion_is_unusable_until_the_deletion_is_cancelled()
    {
        var key = await NewKey();
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") })).CiphertextBlob;
        var scheduled = await Kms().ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        Assert.Equal(KeyState.PendingDeletion, scheduled.KeyState);
        Assert.Equal(7, scheduled.PendingWindowInDays);
        Assert.Equal(key.Arn, scheduled.KeyId);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId }));

        await Kms().CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
        var described = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Disabled, described.KeyState);
        Assert.Null(described.DeletionDate);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task Deletion_window_must_be_between_7_and_30_days(int days)
    {
        var key = await NewKey();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = days }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Cancelling_deletion_of_a_key_not_pending_deletion_is_an_invalid_state()
    {
        var key = await NewKey();
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId }));
    }

    [Fact]
    public async Task Tags_are_added_replaced_and_removed()
    {
        var key = await NewKey();
        await Kms().TagResourceAsync(new TagResourceRequest
        {
            KeyId = key.Arn,
            Tags = [new Tag { TagKey = "a", TagValue = "1" }, new Tag { TagKey = "b", TagValue = "2" }],
        });
        await Kms().TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "a", TagValue = "3" }] });
        await Kms().UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["b"] });

        var tags = (await Kms().ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags;
        var tag = Assert.Single(tags);
        Assert.Equal(("a", "3"), (tag.TagKey, tag.TagValue));
    }

    [Fact]
    public async Task Reserved_aws_tag_keys_are_rejected()
    {
        var key = await NewKey();
        await Assert.ThrowsAsync<TagException>(() =>
            Kms().TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "aws:x", TagValue = "1" }] }));
    }
}
