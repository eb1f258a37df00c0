using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3ObjectTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    [Fact]
    public async Task Put_object_is_read_back_with_its_metadata_and_an_md5_etag()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var put = new PutObjectRequest { BucketName = bucket, Key = "docs/hello.txt", ContentBody = "hello world", ContentType = "text/plain" };
        put.Metadata.Add("color", "blue");
        put.Headers.ContentDisposition = "attachment";
        var response = await s3.PutObjectAsync(put);
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("hello world")));
        Assert.Equal($"\"{md5}\"", response.ETag);

        using var get = await s3.GetObjectAsync(bucket, "docs/hello.txt");
        Assert.Equal("hello world", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal("attachment", get.Headers.ContentDisposition);
        Assert.Equal("blue", get.Metadata["x-amz-meta-color"]);
        Assert.Equal($"\"{md5}\"", get.ETag);
        Assert.Equal(11, get.ContentLength);
        Assert.Equal(ServerSideEncryptionMethod.AES256, get.ServerSideEncryptionMethod);

        var head = await s3.GetObjectMetadataAsync(bucket, "docs/hello.txt");
        Assert.Equal(11, head.ContentLength);
        Assert.Equal("blue", head.Metadata["x-amz-meta-color"]);
    }

    [Fact]
    public async Task Missing_key_answers_NoSuchKey_and_head_answers_404()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "nope"));
        Assert.Equal("NoSuchKey", error.ErrorCode);
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Large_object_streams_through_a_blob_file()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var data = RandomNumberGenerator.GetBytes(300_000);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "big.bin", InputStream = new MemoryStream(data) });
        using var get = await s3.GetObjectAsync(bucket, "big.bin");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", get.ETag);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("../../etc/passwd")]
    [InlineData("ünï/çødé ☃ key")]
    [InlineData("spaces and+plus&amp=?#")]
    [InlineData("a//double//slash/")]
    public async Task Unusual_keys_are_stored_as_given(string key)
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutTextAsync(bucket, key, "content of " + key);
        Assert.Equal("content of " + key, await s3.ReadAsync(bucket, key));
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(key, Assert.Single(list.S3Objects).Key);
    }

    [Fact]
    public async Task Range_requests_answer_206_with_content_range()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutTextAsync(bucket, "r", "0123456789");

        async Task<(string Body, string? Range, HttpStatusCode Status)> Get(ByteRange range)
        {
            using var r = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = range });
            return (await new StreamReader(r.ResponseStream).ReadToEndAsync(), r.ContentRange, r.HttpStatusCode);
        }

        Assert.Equal(("234", "bytes 2-4/10", HttpStatusCode.PartialContent), await Get(new ByteRange(2, 4)));
        Assert.Equal(("789", "bytes 7-9/10", HttpStatusCode.PartialContent), await Get(new ByteRange("bytes=-3")));
        Assert.Equal(("89", "bytes 8-9/10", HttpStatusCode.PartialContent), await Get(new ByteRange("bytes=8-")));
        Assert.Equal(("56789", "bytes 5-9/10", HttpStatusCode.PartialContent), await Get(new ByteRange(5, 100)));
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Get(new ByteRange(10, 20)));
        Assert.Equal("InvalidRange", error.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, error.StatusCode);
    }

    [Fact]
    public async Task Conditional_reads_answer_304_and_412()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var etag = (await s3.PutTextAsync(bucket, "c", "x")).ETag;

        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToNotMatch = etag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToMatch = "\"0000\"" }));
        Assert.Equal("PreconditionFailed", failed.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        var since = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", ModifiedSinceDate = DateTime.UtcNow }));
        Assert.Equal(HttpStatusCode.NotModified, since.StatusCode);
        // A true If-Match wins over a false If-Unmodified-Since.
        using var ok = await s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "c",
            EtagToMatch = etag,
            UnmodifiedSinceDate = DateTime.UtcNow.AddDays(-1),
        });
        Assert.Equal(HttpStatusCode.OK, ok.HttpStatusCode);
    }

    [Fact]
    public async Task Conditional_write_with_if_none_match_refuses_to_overwrite()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "first", IfNoneMatch = "*" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "second", IfNoneMatch = "*" }));
        Assert.Equal("PreconditionFailed", error.ErrorCode);
        Assert.Equal("first", await s3.ReadAsync(bucket, "once"));
    }

    [Fact]
    public async Task Copy_keeps_or_replaces_metadata_and_refuses_a_pointless_self_copy()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var put = new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "data", ContentType = "text/csv" };
        put.Metadata.Add("a", "1");
        await s3.PutObjectAsync(put);

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "kept" });
        var kept = await s3.GetObjectMetadataAsync(bucket, "kept");
        Assert.Equal("1", kept.Metadata["x-amz-meta-a"]);
        Assert.Equal("text/csv", kept.Headers.ContentType);

        var replace = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            DestinationBucket = bucket,
            DestinationKey = "replaced",
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = "text/plain",
        };
        replace.Metadata.Add("b", "2");
        await s3.CopyObjectAsync(replace);
        var replaced = await s3.GetObjectMetadataAsync(bucket, "replaced");
        Assert.Equal("2", replaced.Metadata["x-amz-meta-b"]);
        Assert.DoesNotContain("x-amz-meta-a", replaced.Metadata.Keys);
        Assert.Equal("data", await s3.ReadAsync(bucket, "replaced"));

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "src" }));
        Assert.Equal("InvalidRequest", error.ErrorCode);
        Assert.Contains("copy an object to itself", error.Message);

        var condition = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            DestinationBucket = bucket,
            DestinationKey = "x",
            ETagToMatch = "\"nope\"",
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, condition.StatusCode);
    }

    [Fact]
    public async Task DeleteObjects_reports_each_key_and_stays_quiet_when_asked()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        foreach (var k in new[] { "a", "b", "c" }) await s3.PutTextAsync(bucket, k, k);
        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "a" }, new KeyVersion { Key = "missing" }],
        });
        Assert.Equal(["a", "missing"], result.DeletedObjects.Select(d => d.Key).Order());
        var quiet = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Quiet = true, Objects = [new KeyVersion { Key = "b" }] });
        Assert.Empty(quiet.DeletedObjects ?? []);
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["c"], list.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Deleting_a_bucket_with_objects_is_refused()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutTextAsync(bucket, "k", "v");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        await s3.DeleteObjectAsync(bucket, "k");
        await s3.DeleteBucketAsync(bucket);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        Assert.Equal("NoSuchBucket", gone.ErrorCode);
    }

    [Fact]
    public async Task Checksums_are_verified_and_returned_with_checksum_mode()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var body = "checksummed";
        var sha = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s", ContentBody = body, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "s", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(sha, get.ChecksumSHA256);

        var bad = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "bad",
            ContentBody = body,
            ChecksumSHA256 = Convert.ToBase64String(new byte[32]),
        }));
        Assert.Equal("BadDigest", bad.ErrorCode);
        var md5 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "bad",
            ContentBody = body,
            MD5Digest = Convert.ToBase64String(new byte[16]),
        }));
        Assert.Equal("BadDigest", md5.ErrorCode);
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "bad"));
    }

    [Fact]
    public async Task Customer_key_encrypted_object_needs_its_key()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "secret",
            ContentBody = "classified",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key,
        });
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "secret"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "secret",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        using var ok = await s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "secret",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key,
        });
        Assert.Equal("classified", await new StreamReader(ok.ResponseStream).ReadToEndAsync());

        // A large object is encrypted in its blob file and a range read decrypts from the middle.
        var data = RandomNumberGenerator.GetBytes(100_000);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "big-secret",
            InputStream = new MemoryStream(data),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key,
        });
        using var range = await s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "big-secret",
            ByteRange = new ByteRange(50_001, 50_100),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key,
        });
        using var part = new MemoryStream();
        await range.ResponseStream.CopyToAsync(part);
        Assert.Equal(data.AsSpan(50_001, 100).ToArray(), part.ToArray());
    }

    [Fact]
    public async Task Object_tags_are_set_on_put_counted_and_replaced()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "t", ContentBody = "x", TagSet = [new Tag { Key = "env", Value = "dev" }] });
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Equal("dev", Assert.Single(tags.Tagging).Value);
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "t",
            Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }] },
        });
        using var get = await s3.GetObjectAsync(bucket, "t");
        Assert.Equal(2, get.TagCount);
        await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" })).Tagging ?? []);
    }
}
