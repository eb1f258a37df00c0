using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3VersionListingTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);

    [Fact]
    public async Task Versions_and_delete_markers_interleave_in_key_order_newest_first_across_pages()
    {
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        var a1 = (await _s3.PutTextAsync(bucket, "a", "1")).VersionId;
        var aMarker = (await _s3.DeleteObjectAsync(bucket, "a")).VersionId;
        var a2 = (await _s3.PutTextAsync(bucket, "a", "2")).VersionId;
        var b1 = (await _s3.PutTextAsync(bucket, "b", "1")).VersionId;
        var bMarker = (await _s3.DeleteObjectAsync(bucket, "b")).VersionId;
        string[] expected = [a2, aMarker, a1, bMarker, b1];

        // The AWS SDK for .NET merges <Version> and <DeleteMarker> elements in document order.
        var all = await _s3.ListVersionsAsync(bucket);
        Assert.Equal(expected, all.Versions.Select(v => v.VersionId));
        Assert.Equal([true, false, false, true, false], all.Versions.Select(v => v.IsLatest == true));
        Assert.Equal([false, true, false, true, false], all.Versions.Select(v => v.IsDeleteMarker == true));

        var paged = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 2 };
        while (true)
        {
            var page = await _s3.ListVersionsAsync(request);
            paged.AddRange(page.Versions.Select(v => v.VersionId));
            if (page.IsTruncated != true) break;
            Assert.Equal(page.Versions[^1].Key, page.NextKeyMarker);
            Assert.Equal(page.Versions[^1].VersionId, page.NextVersionIdMarker);
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        Assert.Equal(expected, paged);
    }
}
