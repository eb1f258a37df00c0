using System.Text.Json;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsHttpTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    /// <summary>Subscribes the endpoint and completes the handshake the way an endpoint does: GET the SubscribeURL.</summary>
    private async Task<string> Confirmed(string topic, HttpEndpoint endpoint, IReadOnlyDictionary<string, string>? attributes = null)
    {
        Assert.Equal("pending confirmation", await Sns.Subscribe(topic, "http", endpoint.Url, attributes));
        var confirmation = await endpoint.Next();
        var body = JsonDocument.Parse(confirmation.Body).RootElement;
        using var http = new HttpClient();
        var answer = await http.GetStringAsync(body.GetProperty("SubscribeURL").GetString());
        return answer.Split("<SubscriptionArn>")[1].Split("</SubscriptionArn>")[0];
    }

    [Fact]
    public async Task Http_subscription_gets_a_confirmation_and_is_confirmed_through_its_subscribe_url()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        Assert.Equal("pending confirmation", await Sns.Subscribe(topic, "http", endpoint.Url));

        var confirmation = await endpoint.Next();
        Assert.Equal("SubscriptionConfirmation", confirmation.Headers["x-amz-sns-message-type"]);
        Assert.Equal(topic, confirmation.Headers["x-amz-sns-topic-arn"]);
        var body = JsonDocument.Parse(confirmation.Body).RootElement;
        Assert.Equal("SubscriptionConfirmation", body.GetProperty("Type").GetString());
        Assert.Equal(topic, body.GetProperty("TopicArn").GetString());
        var token = body.GetProperty("Token").GetString()!;
        Assert.Contains(token, body.GetProperty("SubscribeURL").GetString());
        Assert.Contains("/_aws/sns/SimpleNotificationService-", body.GetProperty("SigningCertURL").GetString());

        var arn = SnsClient.Value(await Sns.Call("ConfirmSubscription", ("TopicArn", topic), ("Token", token)), "SubscriptionArn")!;
        Assert.StartsWith(topic + ":", arn);
        Assert.Equal("false", (await Sns.SubscriptionAttributes(arn))["PendingConfirmation"]);
    }

    [Fact]
    public async Task Notifications_are_posted_with_the_sns_headers()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        var arn = await Confirmed(topic, endpoint);
        var messageId = await Sns.Publish(topic, "to the web", ("Subject", "S"));

        var notification = await endpoint.Next();
        Assert.Equal("Notification", notification.Headers["x-amz-sns-message-type"]);
        Assert.Equal(messageId, notification.Headers["x-amz-sns-message-id"]);
        Assert.Equal(topic, notification.Headers["x-amz-sns-topic-arn"]);
        Assert.Equal(arn, notification.Headers["x-amz-sns-subscription-arn"]);
        Assert.StartsWith("text/plain", notification.Headers["content-type"]);
        var body = JsonDocument.Parse(notification.Body).RootElement;
        Assert.Equal("to the web", body.GetProperty("Message").GetString());
        Assert.Equal("S", body.GetProperty("Subject").GetString());
    }

    [Fact]
    public async Task Raw_http_delivery_posts_the_bare_message()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        await Confirmed(topic, endpoint, new Dictionary<string, string> { ["RawMessageDelivery"] = "true" });
        await Sns.Publish(topic, "just this");
        var notification = await endpoint.Next();
        Assert.Equal("just this", notification.Body);
        Assert.Equal("true", notification.Headers["x-amz-sns-rawdelivery"]);
    }

    [Fact]
    public async Task Failed_posts_are_retried_when_the_clock_reaches_the_retry_delay()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        await Confirmed(topic, endpoint);
        endpoint.RespondWith(500);
        await Sns.Publish(topic, "try again");
        Assert.Equal("try again", JsonDocument.Parse((await endpoint.Next()).Body).RootElement.GetProperty("Message").GetString());
        // The default policy waits 20 seconds before the first retry.
        Assert.True(await endpoint.Quiet());
        await Nephele.AdvanceClock("PT21S");
        Assert.Equal("try again", JsonDocument.Parse((await endpoint.Next()).Body).RootElement.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Exhausted_retries_send_the_notification_to_the_dead_letter_queue()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        var (dlq, dlqArn) = await NewQueue();
        await Confirmed(topic, endpoint, new Dictionary<string, string>
        {
            ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = dlqArn }),
            ["DeliveryPolicy"] = """{"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":5,"maxDelayTarget":5}}""",
        });
        endpoint.RespondWith(503, 503);
        await Sns.Publish(topic, "undeliverable");
        await endpoint.Next();
        await Nephele.AdvanceClock("PT6S");
        await endpoint.Next();
        var dead = await Sqs.Receive(dlq, wait: 5);
        Assert.Equal("undeliverable", Envelope(Assert.Single(dead)).GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Subscription_reports_its_effective_delivery_policy()
    {
        await using var endpoint = await HttpEndpoint.StartAsync();
        var topic = await NewTopic();
        var arn = await Confirmed(topic, endpoint, new Dictionary<string, string>
        {
            ["DeliveryPolicy"] = """{"healthyRetryPolicy":{"numRetries":7,"minDelayTarget":2,"maxDelayTarget":30}}""",
        });
        var policy = JsonDocument.Parse((await Sns.SubscriptionAttributes(arn))["EffectiveDeliveryPolicy"]).RootElement.GetProperty("healthyRetryPolicy");
        Assert.Equal(7, policy.GetProperty("numRetries").GetInt32());
        Assert.Equal(30, policy.GetProperty("maxDelayTarget").GetInt32());
    }
}
