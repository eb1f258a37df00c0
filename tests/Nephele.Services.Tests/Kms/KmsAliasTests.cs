using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsAliasTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Alias_is_listed_with_its_arn_and_target()
    {
        var key = await NewKey();
        var name = $"alias/listed-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = key.Arn });

        var aliases = (await Kms().ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId })).Aliases;
        var alias = Assert.Single(aliases);
        Assert.Equal(name, alias.AliasName);
        Assert.Equal($"arn:aws:kms:us-east-1:000000000000:{name}", alias.AliasArn);
        Assert.Equal(key.KeyId, alias.TargetKeyId);
    }

    [Fact]
    public async Task Creating_an_existing_alias_fails()
    {
        var key = await NewKey();
        var name = $"alias/dup-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = key.KeyId });
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = key.KeyId }));
    }

    [Fact]
    public async Task Alias_names_must_start_with_alias_and_not_use_the_aws_prefix()
    {
        var key = await NewKey();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = "no-prefix", TargetKeyId = key.KeyId }));
        Assert.Equal("ValidationException", error.ErrorCode);
        error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/aws/mine", TargetKeyId = key.KeyId }));
        Assert.Equal("NotAuthorizedException", error.ErrorCode);
    }

    [Fact]
    public async Task Updated_alias_points_at_the_new_key()
    {
        var first = await NewKey();
        var second = await NewKey();
        var name = $"alias/moving-{first.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = first.KeyId });
        await Kms().UpdateAliasAsync(new UpdateAliasRequest { AliasName = name, TargetKeyId = second.KeyId });

        Assert.Equal(second.KeyId, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = name })).KeyMetadata.KeyId);
    }

    [Fact]
    public async Task Deleted_alias_no_longer_resolves()
    {
        var key = await NewKey();
        var name = $"alias/gone-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = key.KeyId });
        await Kms().DeleteAliasAsync(new DeleteAliasRequest { AliasName = name });

        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = name }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DeleteAliasAsync(new DeleteAliasRequest { AliasName = name }));
    }

    [Fact]
    public async Task Listing_aliases_pages_with_a_marker()
    {
        var key = await NewKey();
        for (var i = 0; i < 3; i++)
            await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/page-{i}-{key.KeyId}", TargetKeyId = key.KeyId });

        var first = await Kms().ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId, Limit = 2 });
        Assert.Equal(2, first.Aliases.Count);
        Assert.True(first.Truncated);
        var second = await Kms().ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId, Limit = 2, Marker = first.NextMarker });
        Assert.Single(second.Aliases);
        Assert.False(second.Truncated);
    }
}
