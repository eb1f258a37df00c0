using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3BucketTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3(string accessKey = "test", string region = "us-east-1") =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg),
            new AmazonS3Config { ForcePathStyle = true, RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) }, accessKey, region: region);

    [Fact]
    public async Task Created_bucket_is_listed_with_its_region_and_answers_head()
    {
        var s3 = S3();
        await s3.PutBucketAsync("listed-bucket");
        var list = await s3.ListBucketsAsync(new ListBucketsRequest());
        var bucket = Assert.Single(list.Buckets, b => b.BucketName == "listed-bucket");
        Assert.Equal("us-east-1", bucket.BucketRegion);
        var head = await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = "listed-bucket" });
        Assert.Equal("us-east-1", head.BucketRegion);
        var location = await s3.GetBucketLocationAsync("listed-bucket");
        Assert.Equal(S3Region.USEast1, location.Location);
    }

    [Fact]
    public async Task Bucket_in_another_region_reports_its_location_constraint()
    {
        var s3 = S3(region: "eu-west-2");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "regional-bucket", BucketRegionName = "eu-west-2" });
        var location = await s3.GetBucketLocationAsync("regional-bucket");
        Assert.Equal("eu-west-2", location.Location.Value);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper-Case")]
    [InlineData("192.168.5.4")]
    [InlineData("double..dot")]
    [InlineData("-leading-hyphen")]
    public async Task Invalid_bucket_names_are_refused(string name)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3().PutBucketAsync(name));
        Assert.Equal("InvalidBucketName", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Bucket_names_are_shared_across_accounts()
    {
        await S3("111111111111").PutBucketAsync("contested-bucket");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3("222222222222").PutBucketAsync("contested-bucket"));
        Assert.Equal("BucketAlreadyExists", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        var theirs = await S3("222222222222").ListBucketsAsync(new ListBucketsRequest());
        Assert.DoesNotContain(theirs.Buckets ?? [], b => b.BucketName == "contested-bucket");
    }

    [Fact]
    public async Task Recreating_an_owned_bucket_outside_us_east_1_is_a_conflict()
    {
        var s3 = S3(region: "eu-west-1");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "owned-twice", BucketRegionName = "eu-west-1" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutBucketAsync(new PutBucketRequest { BucketName = "owned-twice", BucketRegionName = "eu-west-1" }));
        Assert.Equal("BucketAlreadyOwnedByYou", error.ErrorCode);
    }

    [Fact]
    public async Task Missing_bucket_answers_404()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3().GetBucketLocationAsync("no-such-bucket-here"));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ListBuckets_pages_with_a_continuation_token()
    {
        var s3 = S3("333333333333");
        foreach (var n in new[] { "page-a", "page-b", "page-c" })
            await s3.PutBucketAsync(n);
        var first = await s3.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 2 });
        Assert.Equal(["page-a", "page-b"], first.Buckets.Select(b => b.BucketName));
        var second = await s3.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 2, ContinuationToken = first.ContinuationToken });
        Assert.Equal(["page-c"], second.Buckets.Select(b => b.BucketName));
        Assert.Null(second.ContinuationToken);
    }
}
