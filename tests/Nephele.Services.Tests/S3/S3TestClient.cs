using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>S3 clients for the tests: path style, pointed at the fixture.</summary>
internal static class S3TestClient
{
    public static AmazonS3Client Create(NepheleFixture nephele, string accessKey = "test", string region = "us-east-1") =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg),
            new AmazonS3Config { ForcePathStyle = true, RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) }, accessKey, region: region);

    public static async Task<string> NewBucketAsync(this AmazonS3Client s3)
    {
        var name = "b-" + Guid.NewGuid().ToString("N")[..20];
        await s3.PutBucketAsync(name);
        return name;
    }

    public static async Task<string> ReadAsync(this AmazonS3Client s3, string bucket, string key, string? versionId = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public static Task<PutObjectResponse> PutTextAsync(this AmazonS3Client s3, string bucket, string key, string body) =>
        s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body });
}
