using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Services.Tests.Iam;

namespace Nephele.Services.Tests.S3;

/// <summary>Under --enforce-iam a browser upload acts as PutObject for the signer of its POST policy.</summary>
public sealed class S3PostObjectIamTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "210987654329";

    private AmazonS3Client S3(string key, string secret) => new(new BasicAWSCredentials(key, secret), new AmazonS3Config
    {
        ServiceURL = nephele.Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    private static async Task<HttpResponseMessage> PostAsync(CreatePresignedPostResponse presigned, string body)
    {
        using var http = new HttpClient();
        return await http.PostAsync(presigned.Url, S3PostObjectTests.Form(presigned.Fields, System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task A_post_upload_needs_the_signers_s3_PutObject_permission_on_the_key()
    {
        var root = S3(Account, "secret");
        var bucket = await root.NewBucketAsync();
        var iam = new IamClient(nephele.Http(), Account);
        await iam.Call("CreateUser", ("UserName", "uploader"));
        await iam.Call("PutUserPolicy", ("UserName", "uploader"), ("PolicyName", "uploads"), ("PolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/uploads/*"}]}"""));
        var key = (await iam.Call("CreateAccessKey", ("UserName", "uploader"))).Element(IamClient.Ns + "AccessKey")!;
        var uploader = S3(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));

        var allowed = await uploader.CreatePresignedPostAsync(new CreatePresignedPostRequest
        {
            BucketName = bucket,
            Key = "uploads/ok.txt",
            Expires = DateTime.UtcNow.AddMinutes(5),
        });
        var ok = await PostAsync(allowed, "fine");
        Assert.True(ok.StatusCode == HttpStatusCode.NoContent, await ok.Content.ReadAsStringAsync());
        Assert.Equal("fine", await root.ReadAsync(bucket, "uploads/ok.txt"));

        var denied = await uploader.CreatePresignedPostAsync(new CreatePresignedPostRequest
        {
            BucketName = bucket,
            Key = "private/no.txt",
            Expires = DateTime.UtcNow.AddMinutes(5),
        });
        var refused = await PostAsync(denied, "nope");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await refused.Content.ReadAsStringAsync());
        Assert.Contains($"s3:PutObject on resource: \"arn:aws:s3:::{bucket}/private/no.txt\"", await refused.Content.ReadAsStringAsync());
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => root.GetObjectAsync(bucket, "private/no.txt"));
    }
}
