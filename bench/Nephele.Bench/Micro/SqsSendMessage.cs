using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Bench.Micro;

/// <summary>
/// The request the AWS SDK for .NET sends for SQS SendMessage over the JSON protocol, header for
/// header (signature value aside), with a small body.
/// </summary>
internal static class SqsSendMessage
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""
        {"QueueUrl":"http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/bench-queue","MessageBody":"hello from nephele-bench","DelaySeconds":0,"MessageAttributes":{"Kind":{"DataType":"String","StringValue":"bench"}}}
        """);

    private static readonly string ContentLength = Body.Length.ToString();

    public static AwsRequest Build()
    {
        var headers = new HeaderMap();
        headers.Add("Host", "localhost:4566");
        headers.Add("User-Agent", "aws-sdk-dotnet-coreclr/4.0.100.25 ua/2.1 os/linux md/dotnet#10.0 api/SQS#4.0.100.25");
        headers.Add("amz-sdk-invocation-id", "7d0b1a42-3f7e-4c55-9f0e-2e0f6c1e5a10");
        headers.Add("amz-sdk-request", "attempt=1; max=5");
        headers.Add("X-Amz-Target", "AmazonSQS.SendMessage");
        headers.Add("X-Amz-Date", "20260101T000000Z");
        headers.Add("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD");
        headers.Add("x-amz-query-mode", "true");
        headers.Add("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, " +
            "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, " +
            "Signature=3f1c0e7f3f9e2b6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e");
        headers.Add("Content-Type", "application/x-amz-json-1.0");
        headers.Add("Content-Length", ContentLength);
        return AwsRequest.FromBytes("POST", "/", Body, headers, "localhost:4566");
    }
}
