using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

public sealed class S3EncryptionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const int MiB = 1024 * 1024;

    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    private AmazonKeyManagementServiceClient Kms() =>
        nephele.Client((creds, cfg) => new AmazonKeyManagementServiceClient(creds, (AmazonKeyManagementServiceConfig)cfg), new AmazonKeyManagementServiceConfig());

    private async Task<KeyMetadata> NewKmsKey() => (await Kms().CreateKeyAsync(new CreateKeyRequest { Description = "s3 test" })).KeyMetadata;

    private static async Task<byte[]> ReadBytesAsync(AmazonS3Client s3, GetObjectRequest request)
    {
        using var response = await s3.GetObjectAsync(request);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Sse_kms_without_a_key_id_uses_the_aws_managed_s3_key_and_echoes_its_arn()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "kms managed",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
        });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, put.ServerSideEncryptionMethod);
        Assert.Matches("^arn:aws:kms:us-east-1:000000000000:key/[0-9a-f-]{36}$", put.ServerSideEncryptionKeyManagementServiceKeyId);

        var aliases = await Kms().ListAliasesAsync(new ListAliasesRequest());
        var managed = Assert.Single(aliases.Aliases, a => a.AliasName == "alias/aws/s3");
        Assert.EndsWith("/" + managed.TargetKeyId, put.ServerSideEncryptionKeyManagementServiceKeyId);

        using var get = await s3.GetObjectAsync(bucket, "k");
        Assert.Equal(put.ServerSideEncryptionKeyManagementServiceKeyId, get.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("kms managed", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        var head = await s3.GetObjectMetadataAsync(bucket, "k");
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
        Assert.Equal(put.ServerSideEncryptionKeyManagementServiceKeyId, head.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task Sse_kms_objects_become_unreadable_while_their_key_is_disabled()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var key = await NewKmsKey();
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "guarded",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
            BucketKeyEnabled = true,
        });
        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(put.BucketKeyEnabled);

        await Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "k"));
        Assert.Equal("KMS.DisabledException", get.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "other",
            ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = key.Arn,
        }));
        Assert.Equal("KMS.DisabledException", write.ErrorCode);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "other"));
        // HEAD needs no decryption.
        var head = await s3.GetObjectMetadataAsync(bucket, "k");
        Assert.True(head.BucketKeyEnabled);

        await Kms().EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("guarded", await s3.ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task Sse_kms_with_an_unknown_key_or_a_bad_context_stores_nothing()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = Guid.NewGuid().ToString(),
        }));
        Assert.Equal("KMS.NotFoundException", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var context = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceEncryptionContext = Convert.ToBase64String("[1,2]"u8.ToArray()),
        }));
        Assert.Equal("InvalidArgument", context.ErrorCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);

        var ok = Convert.ToBase64String("{\"project\":\"nephele\"}"u8.ToArray());
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "with context",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceEncryptionContext = ok,
        });
        Assert.Equal(ok, put.ServerSideEncryptionKeyManagementServiceEncryptionContext);
        Assert.Equal("with context", await s3.ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task Bucket_default_encryption_applies_to_puts_copies_and_multipart_uploads()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var source = await s3.NewBucketAsync();
        var key = await NewKmsKey();
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                            ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
                        },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        });

        var put = await s3.PutTextAsync(bucket, "plain-put", "defaulted");
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, put.ServerSideEncryptionMethod);
        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(put.BucketKeyEnabled);
        // A request that names its encryption overrides the default.
        var explicitAes = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "aes",
            ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        Assert.Equal(ServerSideEncryptionMethod.AES256, explicitAes.ServerSideEncryptionMethod);
        Assert.Null(explicitAes.ServerSideEncryptionKeyManagementServiceKeyId);

        // A copy takes the destination bucket's default, not the source's encryption.
        await s3.PutTextAsync(source, "src", "copied bytes");
        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = source, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "copy" });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, copy.ServerSideEncryptionMethod);
        Assert.Equal(key.Arn, copy.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("copied bytes", await s3.ReadAsync(bucket, "copy"));
        var back = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "copy", DestinationBucket = source, DestinationKey = "back" });
        Assert.Equal(ServerSideEncryptionMethod.AES256, back.ServerSideEncryptionMethod);
        Assert.Equal("copied bytes", await s3.ReadAsync(source, "back"));

        var create = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mpu" });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, create.ServerSideEncryptionMethod);
        Assert.Equal(key.Arn, create.ServerSideEncryptionKeyManagementServiceKeyId);
        var data = RandomNumberGenerator.GetBytes(5 * MiB + 1000);
        var part1 = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "mpu",
            UploadId = create.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(data, 0, 5 * MiB),
        });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, part1.ServerSideEncryptionMethod);
        var part2 = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "mpu",
            UploadId = create.UploadId,
            PartNumber = 2,
            InputStream = new MemoryStream(data, 5 * MiB, 1000),
        });
        var complete = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mpu",
            UploadId = create.UploadId,
            PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, complete.ServerSideEncryptionMethod);
        Assert.Equal(data, await ReadBytesAsync(s3, new GetObjectRequest { BucketName = bucket, Key = "mpu" }));
        // A range across the part boundary decrypts each part from the right counter.
        Assert.Equal(data.AsSpan(5 * MiB - 10, 20).ToArray(),
            await ReadBytesAsync(s3, new GetObjectRequest { BucketName = bucket, Key = "mpu", ByteRange = new ByteRange(5 * MiB - 10, 5 * MiB + 9) }));

        // Deleting the configuration puts the bucket back on SSE-S3.
        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        Assert.Equal(ServerSideEncryptionMethod.AES256, (await s3.PutTextAsync(bucket, "after", "x")).ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task Range_reads_decrypt_sse_s3_objects_from_any_offset()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var small = RandomNumberGenerator.GetBytes(1000);
        var large = RandomNumberGenerator.GetBytes(300_000);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "small", InputStream = new MemoryStream(small) });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "large", InputStream = new MemoryStream(large) });
        foreach (var (key, data) in new[] { ("small", small), ("large", large) })
        {
            Assert.Equal(data, await ReadBytesAsync(s3, new GetObjectRequest { BucketName = bucket, Key = key }));
            foreach (var (start, end) in new[] { (0L, 0L), (1L, 16L), (15L, 17L), (333L, 999L) })
                Assert.Equal(data.AsSpan((int)start, (int)(end - start + 1)).ToArray(),
                    await ReadBytesAsync(s3, new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(start, end) }));
        }
        Assert.Equal(large.AsSpan(123_457).ToArray(),
            await ReadBytesAsync(s3, new GetObjectRequest { BucketName = bucket, Key = "large", ByteRange = new ByteRange("bytes=123457-") }));
    }

    [Fact]
    public async Task Encrypted_objects_never_reach_the_disk_in_the_clear_and_read_back_after_a_restart()
    {
        using var data = new RestartableNephele();
        var marker = Encoding.ASCII.GetBytes("NEPHELE-PLAINTEXT-MARKER-" + Guid.NewGuid().ToString("N"));
        var small = Repeat(marker, 2_000);
        var large = Repeat(marker, 200_000);
        string bucket;
        await using (var first = await data.StartAsync())
        {
            var s3 = Client(first);
            bucket = await s3.NewBucketAsync();
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s3-small", InputStream = new MemoryStream(small) });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s3-large", InputStream = new MemoryStream(large) });
            foreach (var (key, body) in new[] { ("kms-small", small), ("kms-large", large) })
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = new MemoryStream(body),
                    ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
                });
        }

        foreach (var file in Directory.EnumerateFiles(data.DataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(marker) < 0, $"{file} holds object bytes in the clear");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(small)[..40])) < 0, $"{file} holds object bytes in base64");
        }

        await using var second = await data.StartAsync();
        var after = Client(second);
        Assert.Equal(small, await ReadBytesAsync(after, new GetObjectRequest { BucketName = bucket, Key = "s3-small" }));
        Assert.Equal(large, await ReadBytesAsync(after, new GetObjectRequest { BucketName = bucket, Key = "s3-large" }));
        Assert.Equal(small, await ReadBytesAsync(after, new GetObjectRequest { BucketName = bucket, Key = "kms-small" }));
        Assert.Equal(large, await ReadBytesAsync(after, new GetObjectRequest { BucketName = bucket, Key = "kms-large" }));
    }

    private static AmazonS3Client Client(Nephele.Core.Gateway.NepheleServer server) =>
        new(new Amazon.Runtime.BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = server.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    private static byte[] Repeat(byte[] marker, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i += marker.Length) marker.AsSpan(0, Math.Min(marker.Length, length - i)).CopyTo(bytes.AsSpan(i));
        return bytes;
    }
}
