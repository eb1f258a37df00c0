using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>Bucket policy, ACL, public access block and ownership controls.</summary>
public sealed class S3AccessControlTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private async Task<string> NewBucket(AmazonS3Client s3, ObjectOwnership? ownership = null)
    {
        var name = "acl-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectOwnership = ownership });
        return name;
    }

    private static string ReadPolicy(string bucket) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}
        """;

    private static async Task<AmazonS3Exception> Fails(Func<Task> call, string code, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        return error;
    }

    [Fact]
    public async Task Bucket_policy_is_returned_exactly_as_stored()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?policy", HttpStatusCode.NotFound, "NoSuchBucketPolicy");
        var policy = ReadPolicy(bucket);
        await s3.PutBucketPolicyAsync(bucket, policy);
        Assert.Equal(policy, (await s3.GetBucketPolicyAsync(bucket)).Policy);
        Assert.False((await s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
        await s3.DeleteBucketPolicyAsync(bucket);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?policy", HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    [Theory]
    [InlineData("not json", "Policies must be valid JSON and the first byte must be '{'")]
    [InlineData("""{"Version":"2012-10-17"}""", "Missing required field Statement")]
    [InlineData("""{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}""", "Invalid effect: Maybe")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}""", "Policy has invalid resource")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:s3:::BUCKET/*"}]}""", "Policy has invalid action")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"nobody"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}""", "Invalid principal in policy")]
    public async Task Invalid_policies_are_MalformedPolicy(string policy, string message)
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Fails(() => s3.PutBucketPolicyAsync(bucket, policy.Replace("BUCKET", bucket, StringComparison.Ordinal)), "MalformedPolicy");
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Public_policy_is_blocked_until_the_public_access_block_is_removed()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var block = (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration;
        Assert.True(block.BlockPublicAcls == true && block.IgnorePublicAcls == true && block.BlockPublicPolicy == true && block.RestrictPublicBuckets == true);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
        await Fails(() => s3.PutBucketPolicyAsync(bucket, policy), "AccessDenied", HttpStatusCode.Forbidden);

        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Fails(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }),
            "NoSuchPublicAccessBlockConfiguration", HttpStatusCode.NotFound);
        await s3.PutBucketPolicyAsync(bucket, policy);
        Assert.True((await s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }

    [Fact]
    public async Task Public_access_block_round_trips_with_unset_settings_off()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true },
        });
        var block = (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration;
        Assert.True(block.BlockPublicAcls == true);
        Assert.False(block.IgnorePublicAcls == true);
        Assert.False(block.BlockPublicPolicy == true);
        Assert.False(block.RestrictPublicBuckets == true);
    }

    [Fact]
    public async Task New_bucket_acl_grants_the_owner_full_control_and_refuses_other_acls()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var acl = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        var grant = Assert.Single(acl.Grants);
        Assert.Equal(S3Permission.FULL_CONTROL, grant.Permission);
        Assert.Equal(acl.Owner.Id, grant.Grantee.CanonicalUser);
        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.Private });
        var error = await Fails(() => s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }),
            "AccessControlListNotSupported");
        Assert.Equal("The bucket does not allow ACLs", error.Message);
    }

    [Fact]
    public async Task Acl_grants_are_stored_when_the_bucket_allows_acls()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3, ObjectOwnership.ObjectWriter);
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead });
        var grants = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Grants;
        Assert.Equal(2, grants.Count);
        Assert.Contains(grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == S3Permission.READ);

        var owner = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Owner;
        await s3.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = owner,
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = owner.Id }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission = S3Permission.WRITE },
                ],
            },
        });
        grants = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket })).Grants;
        Assert.Contains(grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/s3/LogDelivery" && g.Permission == S3Permission.WRITE);
    }

    [Fact]
    public async Task Ownership_controls_follow_the_bucket_and_can_be_deleted()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var rule = Assert.Single((await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }))
            .OwnershipControls.Rules);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced, rule.ObjectOwnership);
        await s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerPreferred }] },
        });
        rule = Assert.Single((await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }))
            .OwnershipControls.Rules);
        Assert.Equal(ObjectOwnership.BucketOwnerPreferred, rule.ObjectOwnership);
        await s3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket });
        await Fails(() => s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }),
            "OwnershipControlsNotFoundError", HttpStatusCode.NotFound);
    }
}
