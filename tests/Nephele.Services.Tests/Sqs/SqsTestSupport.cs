using System.Net.Http.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

internal static class SqsTestSupport
{
    public static AmazonSQSClient Sqs(this NepheleFixture nephele, string accessKey = "test") =>
        nephele.Client((c, cfg) => new AmazonSQSClient(c, (AmazonSQSConfig)cfg), new AmazonSQSConfig(), accessKey);

    public static async Task<string> NewQueue(this AmazonSQSClient sqs, Dictionary<string, string>? attributes = null)
    {
        var name = "q-" + Guid.NewGuid().ToString("N")[..12];
        return (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes ?? [] })).QueueUrl;
    }

    public static async Task AdvanceClock(this NepheleFixture nephele, string duration)
    {
        using var http = nephele.Http();
        using var response = await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = duration }));
        response.EnsureSuccessStatusCode();
    }

    public static async Task<List<Message>> Receive(this AmazonSQSClient sqs, string url, int max = 10, int? visibility = null, int wait = 0)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url,
            MaxNumberOfMessages = max,
            VisibilityTimeout = visibility,
            WaitTimeSeconds = wait,
            MessageSystemAttributeNames = ["All"],
            MessageAttributeNames = ["All"],
        });
        return response.Messages ?? [];
    }

    public static async Task<Dictionary<string, string>> Attributes(this AmazonSQSClient sqs, string url, params string[] names) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = [.. names] })).Attributes ?? [];
}
