using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsSubscriptionTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    [Fact]
    public async Task Queue_subscription_is_confirmed_listed_and_described()
    {
        var topic = await NewTopic();
        var (_, queueArn) = await NewQueue();
        var arn = await Sns.Subscribe(topic, "sqs", queueArn);
        Assert.StartsWith(topic + ":", arn);
        Assert.Equal(arn, await Sns.Subscribe(topic, "sqs", queueArn));

        var attributes = await Sns.SubscriptionAttributes(arn);
        Assert.Equal("false", attributes["PendingConfirmation"]);
        Assert.Equal("true", attributes["ConfirmationWasAuthenticated"]);
        Assert.Equal("false", attributes["RawMessageDelivery"]);
        Assert.Equal(queueArn, attributes["Endpoint"]);
        Assert.Equal("sqs", attributes["Protocol"]);
        Assert.Equal(topic, attributes["TopicArn"]);
        Assert.Equal("000000000000", attributes["Owner"]);

        var byTopic = await Sns.Call("ListSubscriptionsByTopic", ("TopicArn", topic));
        Assert.Equal([arn], SnsClient.Values(byTopic, "SubscriptionArn"));
        Assert.Contains(arn, SnsClient.Values(await Sns.Call("ListSubscriptions"), "SubscriptionArn"));
        Assert.Equal("1", (await Sns.TopicAttributes(topic))["SubscriptionsConfirmed"]);
    }

    [Fact]
    public async Task Subscribing_again_with_different_attributes_fails()
    {
        var topic = await NewTopic();
        var (_, queueArn) = await NewQueue();
        await Sns.Subscribe(topic, "sqs", queueArn);
        var (_, code, message) = await Sns.Fail("Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", queueArn),
            .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["RawMessageDelivery"] = "true" })]);
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: Attributes Reason: Subscription already exists with different attributes", message);
    }

    [Fact]
    public async Task Invalid_subscriptions_are_refused_with_awss_messages()
    {
        var topic = await NewTopic();
        Assert.Equal("Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon",
            (await Sns.Fail("Subscribe", ("TopicArn", topic), ("Protocol", "carrier-pigeon"), ("Endpoint", "x"))).Message);
        Assert.Equal("Invalid parameter: Endpoint must match the specified protocol",
            (await Sns.Fail("Subscribe", ("TopicArn", topic), ("Protocol", "https"), ("Endpoint", "http://example.com"))).Message);
        Assert.Equal("Invalid parameter: SQS endpoint ARN",
            (await Sns.Fail("Subscribe", ("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", "my-queue"))).Message);
        var (_, fifoArn) = await NewQueue(fifo: true);
        Assert.Equal("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
            (await Sns.Fail("Subscribe", ("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", fifoArn))).Message);
        Assert.Equal("Invalid parameter: Attributes Reason: Delivery protocol [email] does not support raw message delivery.",
            (await Sns.Fail("Subscribe", [("TopicArn", topic), ("Protocol", "email"), ("Endpoint", "a@example.com"),
                .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["RawMessageDelivery"] = "true" })])).Message);
        Assert.Equal("NotFound", (await Sns.Fail("Subscribe", ("TopicArn", topic + "x"), ("Protocol", "sqs"), ("Endpoint", fifoArn))).Code);
    }

    [Fact]
    public async Task Subscription_attributes_are_set_validated_and_returned()
    {
        var topic = await NewTopic();
        var (_, arn) = await SubscribedQueue(topic);
        await Sns.Call("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "RawMessageDelivery"), ("AttributeValue", "True"));
        await Sns.Call("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", """{"colour":["blue"]}"""));
        var attributes = await Sns.SubscriptionAttributes(arn);
        Assert.Equal("true", attributes["RawMessageDelivery"]);
        Assert.Equal("""{"colour":["blue"]}""", attributes["FilterPolicy"]);
        Assert.Equal("MessageAttributes", attributes["FilterPolicyScope"]);

        Assert.Equal("Invalid parameter: AttributeName",
            (await Sns.Fail("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "Colour"), ("AttributeValue", "x"))).Message);
        Assert.Equal("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
            (await Sns.Fail("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", """{"a":{"b":["c"]}}"""))).Message);
        Assert.Equal("Invalid parameter: RedrivePolicy: deadLetterTargetArn is missing",
            (await Sns.Fail("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "RedrivePolicy"), ("AttributeValue", "{}"))).Message);
        var (status, code, message) = await Sns.Fail("GetSubscriptionAttributes", ("SubscriptionArn", topic + ":00000000-0000-0000-0000-000000000000"));
        Assert.Equal((HttpStatusCode.NotFound, "NotFound", "Subscription does not exist"), (status, code, message));
    }

    [Fact]
    public async Task Unsubscribed_queue_gets_nothing_more_and_unsubscribing_twice_succeeds()
    {
        var topic = await NewTopic();
        var (queue, arn) = await SubscribedQueue(topic);
        await Sns.Call("Unsubscribe", ("SubscriptionArn", arn));
        await Sns.Call("Unsubscribe", ("SubscriptionArn", arn));
        await Sns.Publish(topic, "after");
        Assert.Empty(await Drain(queue));
        Assert.Empty(SnsClient.Values(await Sns.Call("ListSubscriptionsByTopic", ("TopicArn", topic)), "SubscriptionArn"));
        Assert.Equal("1", (await Sns.TopicAttributes(topic))["SubscriptionsDeleted"]);
    }

    [Fact]
    public async Task Email_subscription_stays_pending_until_its_recorded_subscribe_url_is_visited()
    {
        var topic = await NewTopic();
        var email = $"{NewName("u")}@example.com";
        Assert.Equal("pending confirmation", await Sns.Subscribe(topic, "email", email));
        Assert.Equal(["PendingConfirmation"], SnsClient.Values(await Sns.Call("ListSubscriptionsByTopic", ("TopicArn", topic)), "SubscriptionArn"));
        Assert.Equal("1", (await Sns.TopicAttributes(topic))["SubscriptionsPending"]);
        await Sns.Publish(topic, "not yet");

        using var http = Nephele.Http();
        var recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/email-messages?email={Uri.EscapeDataString(email)}")).RootElement;
        var confirmation = Assert.Single(recorded.GetProperty("email_messages").GetProperty(email).EnumerateArray());
        var subscribeUrl = confirmation.GetProperty("Message").GetString()!.Split('\n')[^1];
        Assert.Contains("Action=ConfirmSubscription", subscribeUrl);

        // The link is an unsigned GET, as when someone clicks it in the email.
        using var plain = new HttpClient();
        var confirmed = await plain.GetStringAsync(subscribeUrl);
        Assert.Contains("<SubscriptionArn>" + topic + ":", confirmed);
        await Sns.Publish(topic, "now", ("Subject", "Hi"));
        recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/email-messages?email={Uri.EscapeDataString(email)}")).RootElement;
        var messages = recorded.GetProperty("email_messages").GetProperty(email).EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("now", messages[1].GetProperty("Message").GetString());
        Assert.Equal("Hi", messages[1].GetProperty("Subject").GetString());
    }

    [Fact]
    public async Task Confirm_subscription_with_a_wrong_token_fails()
    {
        var topic = await NewTopic();
        Assert.Equal("Invalid parameter: Token", (await Sns.Fail("ConfirmSubscription", ("TopicArn", topic), ("Token", "nope"))).Message);
    }

    [Fact]
    public async Task Sms_subscriptions_and_direct_sms_publishes_are_recorded()
    {
        var topic = await NewTopic();
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        await Sns.Subscribe(topic, "sms", phone);
        await Sns.Publish(topic, "via topic");
        await Sns.Call("Publish", ("PhoneNumber", phone), ("Message", "direct"));
        Assert.Equal("Invalid parameter: PhoneNumber Reason: abc is not valid to publish to",
            (await Sns.Fail("Publish", ("PhoneNumber", "abc"), ("Message", "m"))).Message);

        using var http = Nephele.Http();
        var recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}")).RootElement;
        var messages = recorded.GetProperty("sms_messages").GetProperty(phone).EnumerateArray().Select(m => m.GetProperty("Message").GetString()).ToList();
        Assert.Equal(["via topic", "direct"], messages);
        using var delete = await http.DeleteAsync($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}")).RootElement;
        Assert.Equal(JsonValueKind.Undefined, recorded.GetProperty("sms_messages").TryGetProperty(phone, out var none) ? none.ValueKind : JsonValueKind.Undefined);
    }

    [Fact]
    public async Task Lambda_subscription_is_stored_until_lambda_exists()
    {
        var topic = await NewTopic();
        var arn = await Sns.Subscribe(topic, "lambda", "arn:aws:lambda:us-east-1:000000000000:function:handler");
        Assert.Equal("false", (await Sns.SubscriptionAttributes(arn))["PendingConfirmation"]);
        await Sns.Publish(topic, "nobody runs this yet");
        Assert.Equal("Invalid parameter: Lambda endpoint ARN", (await Sns.Fail("Subscribe", ("TopicArn", topic), ("Protocol", "lambda"), ("Endpoint", "handler"))).Message);
    }
}
