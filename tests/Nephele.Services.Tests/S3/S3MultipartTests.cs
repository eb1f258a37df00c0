using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Nephele.Services.Tests.S3;

public sealed class S3MultipartTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const int MiB = 1024 * 1024;

    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    [Fact]
    public async Task Transfer_utility_uploads_a_12_MB_stream_in_parts_and_it_reads_back_whole()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var data = RandomNumberGenerator.GetBytes(12 * MiB + 123);
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 * MiB });
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = bucket,
            Key = "big",
            InputStream = new MemoryStream(data),
            PartSize = 5 * MiB,
        });
        var head = await s3.GetObjectMetadataAsync(bucket, "big");
        Assert.Equal(data.Length, head.ContentLength);
        Assert.EndsWith("-3\"", head.ETag);
        using var get = await s3.GetObjectAsync(bucket, "big");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());

        using var range = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big", ByteRange = new ByteRange(5 * MiB - 2, 5 * MiB + 1) });
        using var part = new MemoryStream();
        await range.ResponseStream.CopyToAsync(part);
        Assert.Equal(data.AsSpan(5 * MiB - 2, 4).ToArray(), part.ToArray());
    }

    [Fact]
    public async Task Complete_checks_part_sizes_order_and_etags()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "mp");
        var p1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[100]) });
        var p2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[100]) });

        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId });
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Equal(upload.UploadId, Assert.Single(uploads.MultipartUploads).UploadId);

        async Task<string> Complete(params PartETag[] list)
        {
            var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = "mp",
                UploadId = upload.UploadId,
                PartETags = list.ToList(),
            }));
            return e.ErrorCode;
        }
        Assert.Equal("EntityTooSmall", await Complete(new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)));
        Assert.Equal("InvalidPart", await Complete(new PartETag(1, "\"0000\"")));

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mp",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, p1.ETag)],
        });
        var expected = Convert.ToHexStringLower(MD5.HashData(Convert.FromHexString(p1.ETag.Trim('"'))));
        Assert.Equal($"\"{expected}-1\"", done.ETag);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.AbortMultipartUploadAsync(bucket, "mp", upload.UploadId));
        Assert.Equal("NoSuchUpload", error.ErrorCode);
    }

    [Fact]
    public async Task Upload_part_copy_takes_a_range_of_another_object()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.PutTextAsync(bucket, "source", "0123456789");
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "dest");
        var part = await s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = bucket,
            SourceKey = "source",
            DestinationBucket = bucket,
            DestinationKey = "dest",
            UploadId = upload.UploadId,
            PartNumber = 1,
            FirstByte = 2,
            LastByte = 5,
        });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "dest",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });
        Assert.Equal("2345", await s3.ReadAsync(bucket, "dest"));
    }

    [Fact]
    public async Task Aborted_upload_is_gone()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "gone");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "gone", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        await s3.AbortMultipartUploadAsync(bucket, "gone", upload.UploadId);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "gone", UploadId = upload.UploadId }));
        Assert.Equal("NoSuchUpload", error.ErrorCode);
    }
}
