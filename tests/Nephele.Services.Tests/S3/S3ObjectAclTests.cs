using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>Object and bucket ACLs beyond canned ACLs: grant headers and AccessControlPolicy documents, stored and returned exactly.</summary>
public sealed class S3ObjectAclTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string OtherUser = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);

    /// <summary>A bucket with ACLs enabled (ObjectWriter) and no public access block.</summary>
    private async Task<string> AclBucket()
    {
        var name = "oacl-" + Guid.NewGuid().ToString("N")[..16];
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectOwnership = ObjectOwnership.ObjectWriter });
        await _s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = name });
        return name;
    }

    private static async Task<AmazonS3Exception> Fails(Func<Task> call, string code, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal((code, status), (error.ErrorCode, error.StatusCode));
        return error;
    }

    private static List<string> Describe(IEnumerable<S3Grant> grants) =>
        [.. grants.Select(g => $"{g.Grantee.Type}:{g.Grantee.CanonicalUser ?? g.Grantee.URI}:{g.Permission}")];

    [Fact]
    public async Task An_access_control_policy_on_an_object_is_returned_exactly()
    {
        var bucket = await AclBucket();
        await _s3.PutTextAsync(bucket, "doc.txt", "x");
        var owner = (await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc.txt" })).Owner;

        await _s3.PutObjectAclAsync(new PutObjectAclRequest
        {
            BucketName = bucket,
            Key = "doc.txt",
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = owner,
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = owner.Id }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = OtherUser }, Permission = S3Permission.READ_ACP },
                    new S3Grant { Grantee = new S3Grantee { URI = AllUsers }, Permission = S3Permission.READ },
                ],
            },
        });

        var acl = await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc.txt" });
        Assert.Equal(owner.Id, acl.Owner.Id);
        Assert.Equal([$"CanonicalUser:{owner.Id}:FULL_CONTROL", $"CanonicalUser:{OtherUser}:READ_ACP", $"Group:{AllUsers}:READ"], Describe(acl.Grants));
        Assert.Equal(owner.DisplayName, acl.Grants[0].Grantee.DisplayName);
    }

    [Fact]
    public async Task Grant_headers_set_the_acl_on_put_copy_multipart_and_put_object_acl()
    {
        var bucket = await AclBucket();
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "put.txt",
            ContentBody = "x",
            Grants = [new S3Grant { Grantee = new S3Grantee { URI = AuthenticatedUsers }, Permission = S3Permission.READ }],
        });
        Assert.Equal([$"Group:{AuthenticatedUsers}:READ"],
            Describe((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "put.txt" })).Grants));

        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "put.txt",
            DestinationBucket = bucket,
            DestinationKey = "copy.txt",
            GrantFullControl = $"id=\"{OtherUser}\"",
            GrantRead = $"uri=\"{AllUsers}\"",
        });
        Assert.Equal([$"CanonicalUser:{OtherUser}:FULL_CONTROL", $"Group:{AllUsers}:READ"],
            Describe((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "copy.txt" })).Grants));

        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = OtherUser }, Permission = S3Permission.WRITE_ACP }],
        });
        var part = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(new byte[10]),
        });
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });
        Assert.Equal([$"CanonicalUser:{OtherUser}:WRITE_ACP"],
            Describe((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "multi.bin" })).Grants));

        await _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "put.txt", GrantReadACP = $"id=\"{OtherUser}\", uri=\"{AllUsers}\"" });
        Assert.Equal([$"CanonicalUser:{OtherUser}:READ_ACP", $"Group:{AllUsers}:READ_ACP"],
            Describe((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "put.txt" })).Grants));

        // A canned ACL replaces the grants.
        await _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "put.txt", ACL = S3CannedACL.Private });
        Assert.Single((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "put.txt" })).Grants);
    }

    [Fact]
    public async Task Bad_grants_are_refused_with_AWSs_errors_and_change_nothing()
    {
        var bucket = await AclBucket();
        await _s3.PutTextAsync(bucket, "k", "x");
        var owner = (await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" })).Owner;

        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", GrantRead = "emailAddress=\"someone@example.com\"" }),
            "UnresolvableGrantByEmailAddress");
        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", GrantRead = "id=\"not-a-canonical-id\"" }),
            "InvalidArgument");
        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", GrantRead = "uri=\"http://example.com/group\"" }),
            "InvalidArgument");
        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest
        {
            BucketName = bucket,
            Key = "k",
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = owner,
                Grants = [new S3Grant { Grantee = new S3Grantee { EmailAddress = "someone@example.com" }, Permission = S3Permission.READ }],
            },
        }), "UnresolvableGrantByEmailAddress");
        await Fails(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "changed",
            CannedACL = S3CannedACL.PublicRead,
            Grants = [new S3Grant { Grantee = new S3Grantee { URI = AllUsers }, Permission = S3Permission.READ }],
        }), "InvalidRequest");

        Assert.Equal("x", await _s3.ReadAsync(bucket, "k"));
        Assert.Single((await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" })).Grants);
    }

    [Fact]
    public async Task Buckets_without_acls_refuse_grants_but_accept_the_owners_full_control()
    {
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutTextAsync(bucket, "k", "x");
        var owner = (await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" })).Owner;
        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", GrantRead = $"uri=\"{AllUsers}\"" }),
            "AccessControlListNotSupported");
        await Fails(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "other",
            ContentBody = "x",
            Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = OtherUser }, Permission = S3Permission.READ }],
        }), "AccessControlListNotSupported");
        await _s3.PutObjectAclAsync(new PutObjectAclRequest
        {
            BucketName = bucket,
            Key = "k",
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = owner,
                Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = owner.Id }, Permission = S3Permission.FULL_CONTROL }],
            },
        });
        await Fails(() => _s3.PutBucketAsync(new PutBucketRequest { BucketName = "oacl-" + Guid.NewGuid().ToString("N")[..16], CannedACL = S3CannedACL.PublicRead }),
            "InvalidBucketAclWithObjectOwnership");
    }

    [Fact]
    public async Task Grant_headers_on_create_bucket_become_the_bucket_acl()
    {
        var name = "oacl-" + Guid.NewGuid().ToString("N")[..16];
        await _s3.PutBucketAsync(new PutBucketRequest
        {
            BucketName = name,
            ObjectOwnership = ObjectOwnership.ObjectWriter,
            Grants =
            [
                new S3Grant { Grantee = new S3Grantee { CanonicalUser = OtherUser }, Permission = S3Permission.READ },
                new S3Grant { Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission = S3Permission.WRITE },
            ],
        });
        var acl = await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = name });
        Assert.Equal([$"CanonicalUser:{OtherUser}:READ", "Group:http://acs.amazonaws.com/groups/s3/LogDelivery:WRITE"], Describe(acl.Grants));
    }

    [Fact]
    public async Task Block_public_access_refuses_public_object_acls()
    {
        var name = "oacl-" + Guid.NewGuid().ToString("N")[..16];
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectOwnership = ObjectOwnership.ObjectWriter });
        await _s3.PutTextAsync(name, "k", "x");
        await Fails(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = name, Key = "k", ACL = S3CannedACL.PublicRead }),
            "AccessDenied", HttpStatusCode.Forbidden);
        await Fails(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = name,
            Key = "p",
            ContentBody = "x",
            Grants = [new S3Grant { Grantee = new S3Grantee { URI = AllUsers }, Permission = S3Permission.READ }],
        }), "AccessDenied", HttpStatusCode.Forbidden);
        await _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = name, Key = "k", GrantRead = $"id=\"{OtherUser}\"" });
    }
}
