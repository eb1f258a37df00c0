using System.Net;
using System.Text;

namespace Nephele.Services.Tests.Gateway;

/// <summary>Unparseable input gets the protocol's own 400 error, never a 500.</summary>
public sealed class MalformedInputTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string StsAuth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00";

    private async Task<(HttpStatusCode Status, string Body)> Post(string body, string contentType, string auth = StsAuth, string? target = null)
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("Authorization", auth);
        if (target is not null) request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_is_a_400()
    {
        var (status, body) = await Post("Action=GetSessionToken&Version=2011-06-15&DurationSeconds=soon", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>InvalidParameterValue</Code>", body);
    }

    [Fact]
    public async Task An_unknown_action_is_InvalidAction()
    {
        var (status, body) = await Post("Action=BecomeRoot&Version=2011-06-15", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>InvalidAction</Code>", body);
        Assert.Contains("BecomeRoot", body);
    }

    [Fact]
    public async Task An_unknown_json_target_is_UnknownOperationException()
    {
        var (status, body) = await Post("{}", "application/x-amz-json-1.0",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00", "AmazonSQS.Teleport");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UnknownOperationException", body);
    }

    [Fact]
    public async Task An_unimplemented_operation_answers_501_naming_service_and_operation()
    {
        var (status, body) = await Post("{\"StreamName\":\"s\"}", "application/x-amz-json-1.1",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00", "Kinesis_20131202.DescribeStream");
        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("DescribeStream", body);
        Assert.Contains("Kinesis", body);
    }

    [Fact]
    public async Task S3_errors_carry_s3_request_ids()
    {
        using var http = nephele.Http();
        using var response = await http.GetAsync("/some-bucket-that-does-not-exist?list-type=2");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(16, response.Headers.GetValues("x-amz-request-id").Single().Length);
        Assert.NotEmpty(response.Headers.GetValues("x-amz-id-2").Single());
        Assert.Contains("<Error>", await response.Content.ReadAsStringAsync());
    }
}
