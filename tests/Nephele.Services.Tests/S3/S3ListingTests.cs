using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3ListingTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    private async Task<string> BucketWith(AmazonS3Client s3, params string[] keys)
    {
        var bucket = await s3.NewBucketAsync();
        foreach (var k in keys) await s3.PutTextAsync(bucket, k, k);
        return bucket;
    }

    [Fact]
    public async Task ListObjectsV2_rolls_keys_up_into_common_prefixes_counted_against_max_keys()
    {
        var s3 = S3();
        var bucket = await BucketWith(s3, "a.txt", "photos/2020/x.jpg", "photos/2021/y.jpg", "photos/top.jpg", "videos/v.mp4", "z.txt");
        var root = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a.txt", "z.txt"], root.S3Objects.Select(o => o.Key));
        Assert.Equal(["photos/", "videos/"], root.CommonPrefixes);
        Assert.Equal(4, root.KeyCount);

        var photos = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "photos/", Delimiter = "/" });
        Assert.Equal(["photos/top.jpg"], photos.S3Objects.Select(o => o.Key));
        Assert.Equal(["photos/2020/", "photos/2021/"], photos.CommonPrefixes);

        var first = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 2 });
        Assert.True(first.IsTruncated);
        Assert.Equal(["a.txt"], first.S3Objects.Select(o => o.Key));
        Assert.Equal(["photos/"], first.CommonPrefixes);
        var second = await s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = bucket,
            Delimiter = "/",
            MaxKeys = 2,
            ContinuationToken = first.NextContinuationToken,
        });
        Assert.Equal(["videos/"], second.CommonPrefixes);
        Assert.Equal(["z.txt"], second.S3Objects.Select(o => o.Key));
        Assert.False(second.IsTruncated);
    }

    [Fact]
    public async Task ListObjectsV2_pages_in_key_order_with_start_after_and_owner()
    {
        var s3 = S3();
        var keys = Enumerable.Range(0, 25).Select(i => $"k{i:D3}").ToArray();
        var bucket = await BucketWith(s3, keys.Reverse().ToArray());
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 10, ContinuationToken = token });
            seen.AddRange(page.S3Objects.Select(o => o.Key));
            Assert.Null(page.S3Objects[0].Owner);
            token = page.NextContinuationToken;
        } while (token is not null);
        Assert.Equal(keys, seen);

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "k020", FetchOwner = true });
        Assert.Equal(["k021", "k022", "k023", "k024"], after.S3Objects.Select(o => o.Key));
        Assert.NotNull(after.S3Objects[0].Owner?.Id);
    }

    [Fact]
    public async Task ListObjects_v1_gives_the_common_prefix_as_next_marker()
    {
        var s3 = S3();
        var bucket = await BucketWith(s3, "a", "b", "c/1", "c/2", "d");
        var plain = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, MaxKeys = 2 });
        Assert.True(plain.IsTruncated);
        var delimited = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, MaxKeys = 3, Delimiter = "/" });
        Assert.Equal("c/", delimited.NextMarker);
        var rest = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", Marker = delimited.NextMarker });
        Assert.Equal(["d"], rest.S3Objects.Select(o => o.Key));
        Assert.Empty(rest.CommonPrefixes ?? []);
    }

    [Fact]
    public async Task Url_encoding_type_encodes_keys_in_the_listing()
    {
        var s3 = S3();
        var bucket = await BucketWith(s3, "with space/é");
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Encoding = EncodingType.Url });
        Assert.Equal("with%20space/%C3%A9", list.S3Objects[0].Key);
    }
}
