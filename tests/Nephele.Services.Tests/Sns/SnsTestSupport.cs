using System.Text.Json;
using Amazon.SQS;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Sns;

/// <summary>What SNS tests share: a client per fixture, fresh names, and a queue subscribed to a topic.</summary>
public abstract class SnsTestBase(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    protected NepheleFixture Nephele { get; } = nephele;
    protected SnsClient Sns { get; } = new(nephele.Http());
    protected AmazonSQSClient Sqs { get; } = nephele.Sqs();

    protected static string NewName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    protected Task<string> NewTopic(IReadOnlyDictionary<string, string>? attributes = null) =>
        Sns.CreateTopic(NewName() + (attributes?.GetValueOrDefault("FifoTopic") == "true" ? ".fifo" : ""), attributes);

    /// <summary>A new queue (FIFO when asked) and its ARN.</summary>
    protected async Task<(string Url, string Arn)> NewQueue(bool fifo = false, Dictionary<string, string>? attributes = null)
    {
        attributes ??= [];
        if (fifo) attributes["FifoQueue"] = "true";
        var url = (await Sqs.CreateQueueAsync(new Amazon.SQS.Model.CreateQueueRequest { QueueName = NewName("q") + (fifo ? ".fifo" : ""), Attributes = attributes })).QueueUrl;
        return (url, (await Sqs.Attributes(url, "QueueArn"))["QueueArn"]);
    }

    /// <summary>A queue subscribed to the topic; returns the queue URL and the subscription ARN.</summary>
    protected async Task<(string QueueUrl, string SubscriptionArn)> SubscribedQueue(string topicArn, IReadOnlyDictionary<string, string>? attributes = null, bool fifo = false)
    {
        var (url, arn) = await NewQueue(fifo);
        return (url, await Sns.Subscribe(topicArn, "sqs", arn, attributes));
    }

    protected async Task<List<Amazon.SQS.Model.Message>> Drain(string url) => await Sqs.Receive(url, visibility: 300);

    /// <summary>The SNS envelope of an SQS message body.</summary>
    protected static JsonElement Envelope(Amazon.SQS.Model.Message message) => JsonDocument.Parse(message.Body).RootElement.Clone();
}
