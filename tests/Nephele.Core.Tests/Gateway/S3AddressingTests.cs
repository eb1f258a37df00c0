using Nephele.Core.Gateway;

namespace Nephele.Core.Tests.Gateway;

public sealed class S3AddressingTests
{
    [Theory]
    [InlineData("my-bucket.s3.localhost.localstack.cloud:4566", "my-bucket")]
    [InlineData("my.dotted.bucket.s3.us-east-1.amazonaws.com", "my.dotted.bucket")]
    [InlineData("my-bucket.localhost:4566", "my-bucket")]
    [InlineData("localhost:4566", null)]
    [InlineData("127.0.0.1:4566", null)]
    [InlineData("s3.localhost.localstack.cloud:4566", null)]
    [InlineData("sqs.us-east-1.localhost.localstack.cloud:4566", null)]
    public void The_bucket_is_read_from_virtual_hosted_style_hosts(string host, string? bucket) =>
        Assert.Equal(bucket, S3Addressing.BucketFromHost(host));
}
