using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Deployment packages and layers read from Nephele's own S3 (S3Bucket/S3Key/S3ObjectVersion).</summary>
public sealed class LambdaS3CodeTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    private AmazonS3Client S3() => nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private static async Task<string> Put(AmazonS3Client s3, string bucket, string key, byte[] body) =>
        (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(body) })).VersionId;

    [Fact]
    public async Task Functions_and_layers_are_created_and_updated_from_S3_objects_and_versions()
    {
        using var s3 = S3();
        var bucket = LambdaClient.Unique("code");
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var v1 = await Put(s3, bucket, "fn.zip", LambdaClient.Zip(("index.js", "exports.handler = async () => 'one';")));
        await Put(s3, bucket, "fn.zip", LambdaClient.Zip(("index.js", "exports.handler = async () => require('fromlayer').v;")));
        await Put(s3, bucket, "layer.zip", LambdaClient.Zip(("nodejs/node_modules/fromlayer/index.js", "exports.v = 'two';")));

        var layer = await _lambda.Ok(HttpMethod.Post, $"/2018-10-31/layers/{LambdaClient.Unique("s3layer")}/versions",
            new { Content = new { S3Bucket = bucket, S3Key = "layer.zip" } });
        var name = LambdaClient.Unique("froms3");
        await _lambda.Ok(HttpMethod.Post, "/2015-03-31/functions", new
        {
            FunctionName = name,
            Runtime = "nodejs20.x",
            Handler = "index.handler",
            Role = LambdaClient.Role,
            Code = new { S3Bucket = bucket, S3Key = "fn.zip", S3ObjectVersion = v1 },
            Layers = new[] { layer.GetProperty("LayerVersionArn").GetString() },
        });
        Assert.Equal("\"one\"", (await _lambda.Invoke(name)).Body);

        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/code", new { S3Bucket = bucket, S3Key = "fn.zip" });
        Assert.Equal("\"two\"", (await _lambda.Invoke(name)).Body);
    }

    [Fact]
    public async Task Missing_objects_buckets_and_versions_fail_with_the_S3_error_code()
    {
        using var s3 = S3();
        var bucket = LambdaClient.Unique("missing");
        await s3.PutBucketAsync(bucket);
        var name = LambdaClient.Unique("nos3");
        async Task<string> Create(object code)
        {
            var reply = await _lambda.Send(HttpMethod.Post, "/2015-03-31/functions",
                new { FunctionName = name, Runtime = "python3.12", Handler = "app.handler", Role = LambdaClient.Role, Code = code });
            Assert.Equal("InvalidParameterValueException", reply.ErrorCode);
            return reply.Json.GetProperty("message").GetString()!;
        }
        Assert.Equal("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
            await Create(new { S3Bucket = bucket, S3Key = "nope.zip" }));
        Assert.StartsWith("Error occurred while GetObject. S3 Error Code: NoSuchBucket.", await Create(new { S3Bucket = bucket + "-x", S3Key = "a.zip" }));
        await Put(s3, bucket, "not-a-zip", "hello"u8.ToArray());
        Assert.StartsWith("Could not unzip", await Create(new { S3Bucket = bucket, S3Key = "not-a-zip" }));
        var layer = await _lambda.Send(HttpMethod.Post, "/2018-10-31/layers/s3missing/versions", new { Content = new { S3Bucket = bucket, S3Key = "nope.zip" } });
        Assert.Equal("InvalidParameterValueException", layer.ErrorCode);
    }
}
