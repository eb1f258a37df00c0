using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3VersioningTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    private static Task Versioning(AmazonS3Client s3, string bucket, VersionStatus status) =>
        s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = status } });

    [Fact]
    public async Task Versions_and_delete_markers_are_kept_and_readable_by_id()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutTextAsync(bucket, "doc", "before");
        await Versioning(s3, bucket, VersionStatus.Enabled);
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(bucket)).VersioningConfig.Status);
        var v1 = (await s3.PutTextAsync(bucket, "doc", "one")).VersionId;
        var v2 = (await s3.PutTextAsync(bucket, "doc", "two")).VersionId;
        Assert.NotEqual(v1, v2);
        Assert.Equal("two", await s3.ReadAsync(bucket, "doc"));
        Assert.Equal("one", await s3.ReadAsync(bucket, "doc", v1));
        Assert.Equal("before", await s3.ReadAsync(bucket, "doc", "null"));

        var deleted = await s3.DeleteObjectAsync(bucket, "doc");
        Assert.Equal("true", deleted.DeleteMarker);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "doc"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);

        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal(4, versions.Versions.Count);
        var marker = Assert.Single(versions.Versions, v => v.IsDeleteMarker == true);
        Assert.True(marker.IsLatest);
        Assert.Equal(deleted.VersionId, marker.VersionId);
        Assert.Equal([v2, v1, "null"], versions.Versions.Where(v => v.IsDeleteMarker != true).Select(v => v.VersionId));

        // Removing the delete marker brings the latest version back.
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = deleted.VersionId });
        Assert.Equal("two", await s3.ReadAsync(bucket, "doc"));
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = v2 });
        Assert.Equal("one", await s3.ReadAsync(bucket, "doc"));
    }

    [Fact]
    public async Task Suspended_versioning_overwrites_the_null_version()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await Versioning(s3, bucket, VersionStatus.Enabled);
        var kept = (await s3.PutTextAsync(bucket, "k", "versioned")).VersionId;
        await Versioning(s3, bucket, VersionStatus.Suspended);
        Assert.Equal("null", (await s3.PutTextAsync(bucket, "k", "null one")).VersionId);
        Assert.Equal("null", (await s3.PutTextAsync(bucket, "k", "null two")).VersionId);
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal(["null", kept], versions.Versions.Select(v => v.VersionId));
        Assert.Equal("null two", await s3.ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task Version_of_a_bucket_with_versions_keeps_it_from_being_deleted()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await Versioning(s3, bucket, VersionStatus.Enabled);
        await s3.PutTextAsync(bucket, "k", "v");
        await s3.DeleteObjectAsync(bucket, "k");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", error.ErrorCode);
    }

    [Fact]
    public async Task Unknown_version_answers_NoSuchVersion()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await Versioning(s3, bucket, VersionStatus.Enabled);
        await s3.PutTextAsync(bucket, "k", "v");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ReadAsync(bucket, "k", new string('a', 28)));
        Assert.Equal("NoSuchVersion", error.ErrorCode);
        var invalid = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ReadAsync(bucket, "k", "not-a-version"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }
}
