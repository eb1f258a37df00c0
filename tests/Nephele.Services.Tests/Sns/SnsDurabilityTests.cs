using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Nephele.Core.Gateway;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private static SnsClient Sns(NepheleServer server) => new(new HttpClient { BaseAddress = server.Endpoint });

    private static AmazonSQSClient Sqs(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Topics_subscriptions_and_the_signing_certificate_survive_a_restart()
    {
        string topic, queueUrl, certificate;
        await using (var first = await _nephele.StartAsync())
        {
            var sns = Sns(first);
            topic = await sns.CreateTopic("durable", new Dictionary<string, string> { ["DisplayName"] = "kept" });
            var sqs = Sqs(first);
            queueUrl = (await sqs.CreateQueueAsync("durable-queue")).QueueUrl;
            var queueArn = (await sqs.Attributes(queueUrl, "QueueArn"))["QueueArn"];
            await sns.Subscribe(topic, "sqs", queueArn, new Dictionary<string, string> { ["FilterPolicy"] = """{"keep":["yes"]}""" });
            await sns.Publish(topic, "before", SnsClient.Attributes(("keep", "String", "yes")));
            var envelope = JsonDocument.Parse(Assert.Single(await sqs.Receive(queueUrl, visibility: 0)).Body).RootElement;
            certificate = new Uri(envelope.GetProperty("SigningCertURL").GetString()!).AbsolutePath;
        }
        await using var second = await _nephele.StartAsync();
        var again = Sns(second);
        Assert.Equal("kept", (await again.TopicAttributes(topic))["DisplayName"]);
        await again.Publish(topic, "dropped by the filter", SnsClient.Attributes(("keep", "String", "no")));
        await again.Publish(topic, "after", SnsClient.Attributes(("keep", "String", "yes")));
        var messages = await Sqs(second).Receive(queueUrl, visibility: 300);
        Assert.Equal(["after", "before"], messages.Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("Message").GetString()).Order());
        // The same key signs after the restart: the certificate URL is unchanged and still served.
        var latest = messages.Select(m => JsonDocument.Parse(m.Body).RootElement).Single(e => e.GetProperty("Message").GetString() == "after");
        Assert.Equal(certificate, new Uri(latest.GetProperty("SigningCertURL").GetString()!).AbsolutePath);
        using var http = new HttpClient { BaseAddress = second.Endpoint };
        Assert.Contains("BEGIN CERTIFICATE", await http.GetStringAsync(certificate));
    }

    [Fact]
    public async Task Http_deliveries_waiting_for_a_retry_are_sent_after_a_restart()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        string topic;
        await using (var first = await _nephele.StartAsync())
        {
            var sns = Sns(first);
            topic = await sns.CreateTopic("outbox");
            await sns.Subscribe(topic, "http", endpoint.Url);
            var token = JsonDocument.Parse((await endpoint.Next()).Body).RootElement.GetProperty("Token").GetString()!;
            await sns.Call("ConfirmSubscription", ("TopicArn", topic), ("Token", token));
            endpoint.RespondWith(500);
            await sns.Publish(topic, "survives");
            await endpoint.Next();
        }
        await using var second = await _nephele.StartAsync();
        using (var http = new HttpClient { BaseAddress = second.Endpoint })
            (await http.PostAsync("/_nephele/clock", new StringContent("""{"advance":"PT30S"}"""))).EnsureSuccessStatusCode();
        Assert.Equal("survives", JsonDocument.Parse((await endpoint.Next()).Body).RootElement.GetProperty("Message").GetString());
    }
}
