using Amazon.Runtime;
using Amazon.SQS;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private Task<NepheleServer> Start() => _nephele.StartAsync();

    private static AmazonSQSClient Client(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Sent_messages_and_in_flight_deadlines_survive_a_restart()
    {
        string inFlightId;
        await using (var first = await Start())
        {
            var sqs = Client(first);
            var url = (await sqs.CreateQueueAsync("durable")).QueueUrl;
            inFlightId = (await sqs.SendMessageAsync(url, "in flight")).MessageId;
            await sqs.SendMessageAsync(url, "waiting");
            var inFlight = await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = url, VisibilityTimeout = 3600, MaxNumberOfMessages = 1 });
            Assert.Equal("in flight", Assert.Single(inFlight.Messages).Body);
        }

        await using var second = await Start();
        var again = Client(second);
        // The new server has its own port; GetQueueUrl answers with it.
        var newUrl = (await again.GetQueueUrlAsync("durable")).QueueUrl;
        var received = await again.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = newUrl, MaxNumberOfMessages = 10 });
        var message = Assert.Single(received.Messages);
        // The received message stays invisible for its hour; only the waiting one is delivered.
        Assert.Equal("waiting", message.Body);
        Assert.NotEqual(inFlightId, message.MessageId);
    }
}
