using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Nephele.Services.Tests.Sqs;

/// <summary>The query protocol (form posts, XML answers, legacy error codes) that older SDKs and CLIs speak, on the same queues.</summary>
public sealed partial class SqsQueryProtocolTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00";

    private async Task<(HttpStatusCode Status, string Body)> Post(string body, string path = "/")
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body + "&Version=2012-11-05", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Auth);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Element(string xml, string name) => Regex.Match(xml, $"<{name}>([^<]*)</{name}>").Groups[1].Value;

    [Fact]
    public async Task Create_send_and_receive_work_over_the_query_protocol()
    {
        var (status, created) = await Post("Action=CreateQueue&QueueName=query-q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45");
        Assert.Equal(HttpStatusCode.OK, status);
        var url = Element(created, "QueueUrl");
        Assert.EndsWith("/000000000000/query-q", url);

        var (_, sent) = await Post($"Action=SendMessage&QueueUrl={Uri.EscapeDataString(url)}&MessageBody=over%20query"
            + "&MessageAttribute.1.Name=kind&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=test");
        Assert.Equal("ea4c5f8bd0bed8aed22e5c3ccf6fe4d1".Length, Element(sent, "MD5OfMessageBody").Length);

        var (_, received) = await Post($"Action=ReceiveMessage&QueueUrl={Uri.EscapeDataString(url)}&AttributeName.1=All&MessageAttributeName.1=All");
        Assert.Equal("over query", Element(received, "Body"));
        Assert.Equal(Element(sent, "MessageId"), Element(received, "MessageId"));
        Assert.Equal(Element(sent, "MD5OfMessageAttributes"), Element(received, "MD5OfMessageAttributes"));
        Assert.Contains("<Name>ApproximateReceiveCount</Name><Value>1</Value>", received);
        Assert.Contains("<StringValue>test</StringValue>", received);

        var (deleteStatus, _) = await Post($"Action=DeleteMessage&QueueUrl={Uri.EscapeDataString(url)}&ReceiptHandle={Uri.EscapeDataString(Element(received, "ReceiptHandle"))}");
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
    }

    [Fact]
    public async Task An_old_client_may_name_the_queue_by_the_request_path()
    {
        await Post("Action=CreateQueue&QueueName=by-path");
        var (status, _) = await Post("Action=SendMessage&MessageBody=pathy", "/000000000000/by-path");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, received) = await Post("Action=ReceiveMessage", "/000000000000/by-path");
        Assert.Equal("pathy", Element(received, "Body"));
    }

    [Fact]
    public async Task A_missing_queue_is_the_legacy_NonExistentQueue_code()
    {
        var (status, body) = await Post("Action=GetQueueUrl&QueueName=not-there");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>", body);
        Assert.Contains("<Type>Sender</Type>", body);
    }

    [Fact]
    public async Task A_json_client_gets_the_shape_name_and_the_legacy_code_in_x_amzn_query_error()
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{\"QueueName\":\"not-there\"}", Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("Authorization", Auth);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.GetQueueUrl");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue;Sender", response.Headers.GetValues("x-amzn-query-error").Single());
        Assert.Contains("\"QueueDoesNotExist\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_name_clash_is_the_legacy_QueueAlreadyExists_code()
    {
        await Post("Action=CreateQueue&QueueName=clash&Attribute.1.Name=DelaySeconds&Attribute.1.Value=1");
        var (status, body) = await Post("Action=CreateQueue&QueueName=clash&Attribute.1.Name=DelaySeconds&Attribute.1.Value=2");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>QueueAlreadyExists</Code>", body);
    }
}
