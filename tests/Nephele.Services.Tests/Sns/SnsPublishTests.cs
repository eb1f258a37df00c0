using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsPublishTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    [Fact]
    public async Task Published_message_reaches_every_subscribed_queue_in_the_sns_envelope()
    {
        var topic = await NewTopic();
        var (first, subscription) = await SubscribedQueue(topic);
        var (second, _) = await SubscribedQueue(topic);
        var messageId = await Sns.Publish(topic, "hello <world> & +1",
            [("Subject", "Greeting"), .. SnsClient.Attributes(("colour", "String", "blue"), ("count", "Number", "3"))]);

        var received = Assert.Single(await Drain(first));
        Assert.Single(await Drain(second));
        var envelope = Envelope(received);
        Assert.Equal("Notification", envelope.GetProperty("Type").GetString());
        Assert.Equal(messageId, envelope.GetProperty("MessageId").GetString());
        Assert.Equal(topic, envelope.GetProperty("TopicArn").GetString());
        Assert.Equal("Greeting", envelope.GetProperty("Subject").GetString());
        Assert.Equal("hello <world> & +1", envelope.GetProperty("Message").GetString());
        Assert.True(DateTimeOffset.TryParse(envelope.GetProperty("Timestamp").GetString(), out _));
        Assert.Equal("1", envelope.GetProperty("SignatureVersion").GetString());
        Assert.Contains("Action=Unsubscribe", envelope.GetProperty("UnsubscribeURL").GetString());
        Assert.Contains(Uri.EscapeDataString(subscription), envelope.GetProperty("UnsubscribeURL").GetString());
        var attributes = envelope.GetProperty("MessageAttributes");
        Assert.Equal("String", attributes.GetProperty("colour").GetProperty("Type").GetString());
        Assert.Equal("blue", attributes.GetProperty("colour").GetProperty("Value").GetString());
        Assert.Equal("3", attributes.GetProperty("count").GetProperty("Value").GetString());
        // The envelope's attributes stay inside the body; the SQS message itself has none.
        Assert.True(received.MessageAttributes is null or { Count: 0 });
    }

    [Fact]
    public async Task Raw_delivery_sends_the_bare_message_with_attributes_as_sqs_message_attributes()
    {
        var topic = await NewTopic();
        var (queue, _) = await SubscribedQueue(topic, new Dictionary<string, string> { ["RawMessageDelivery"] = "true" });
        await Sns.Publish(topic, "raw body", SnsClient.Attributes(("colour", "String", "blue"), ("size", "Number", "7"), ("blob", "Binary", Convert.ToBase64String([1, 2, 3]))));
        var message = Assert.Single(await Drain(queue));
        Assert.Equal("raw body", message.Body);
        Assert.Equal("blue", message.MessageAttributes["colour"].StringValue);
        Assert.Equal("Number", message.MessageAttributes["size"].DataType);
        Assert.Equal([1, 2, 3], message.MessageAttributes["blob"].BinaryValue.ToArray());
        Assert.Equal("AIDAIT2UOQQY3AUEKVGXU", message.Attributes["SenderId"]);
    }

    [Fact]
    public async Task Envelope_signature_verifies_against_the_certificate_at_the_signing_cert_url()
    {
        foreach (var version in new[] { "1", "2" })
        {
            var topic = await NewTopic();
            await Sns.Call("SetTopicAttributes", ("TopicArn", topic), ("AttributeName", "SignatureVersion"), ("AttributeValue", version));
            var (queue, _) = await SubscribedQueue(topic);
            await Sns.Publish(topic, "signed", ("Subject", "s"));
            var envelope = Envelope(Assert.Single(await Drain(queue)));
            Assert.Equal(version, envelope.GetProperty("SignatureVersion").GetString());

            using var http = new HttpClient();
            var pem = await http.GetStringAsync(envelope.GetProperty("SigningCertURL").GetString());
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var signed = new StringBuilder();
            foreach (var name in new[] { "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type" })
                signed.Append(name).Append('\n').Append(envelope.GetProperty(name).GetString()).Append('\n');
            using var rsa = certificate.GetRSAPublicKey()!;
            Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(signed.ToString()), Convert.FromBase64String(envelope.GetProperty("Signature").GetString()!),
                version == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        }
    }

    [Fact]
    public async Task Message_structure_json_sends_each_protocol_its_own_message()
    {
        var topic = await NewTopic();
        var (queue, _) = await SubscribedQueue(topic);
        await Sns.Publish(topic, """{"default":"for everyone","sqs":"for queues","email":"for inboxes"}""", ("MessageStructure", "json"));
        Assert.Equal("for queues", Envelope(Assert.Single(await Drain(queue))).GetProperty("Message").GetString());

        var (_, code, message) = await Sns.Fail("Publish", ("TopicArn", topic), ("Message", """{"sqs":"x"}"""), ("MessageStructure", "json"));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: Message Structure - No default entry in JSON message body", message);
        (_, _, message) = await Sns.Fail("Publish", ("TopicArn", topic), ("Message", "not json"), ("MessageStructure", "json"));
        Assert.Equal("Invalid parameter: Message Structure - JSON message body failed to parse", message);
    }

    [Fact]
    public async Task Invalid_publishes_are_refused_with_awss_errors_and_deliver_nothing()
    {
        var topic = await NewTopic();
        var (queue, _) = await SubscribedQueue(topic);
        Assert.Equal("Invalid parameter: Empty message", (await Sns.Fail("Publish", ("TopicArn", topic), ("Message", ""))).Message);
        Assert.Equal("Invalid parameter: Message too long", (await Sns.Fail("Publish", ("TopicArn", topic), ("Message", new string('x', 262_145)))).Message);
        Assert.Equal("Invalid parameter: Subject", (await Sns.Fail("Publish", ("TopicArn", topic), ("Message", "m"), ("Subject", "line\nbreak"))).Message);
        var (_, code, message) = await Sns.Fail("Publish", [("TopicArn", topic), ("Message", "m"), .. SnsClient.Attributes(("n", "Number", "abc"))]);
        Assert.Equal("ParameterValueInvalid", code);
        Assert.Equal("Could not cast message attribute 'n' value to number.", message);
        (_, code, message) = await Sns.Fail("Publish", [("TopicArn", topic), ("Message", "m"), .. SnsClient.Attributes(("a", "Date", "x"))]);
        Assert.Equal("ParameterValueInvalid", code);
        Assert.Contains("has an invalid message attribute type", message);
        (_, code, _) = await Sns.Fail("Publish", ("TopicArn", topic), ("Message", "m"), ("MessageDeduplicationId", "d"));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("NotFound", (await Sns.Fail("Publish", ("TopicArn", topic + "-missing"), ("Message", "m"))).Code);
        Assert.Empty(await Drain(queue));
    }

    [Fact]
    public async Task Publish_batch_delivers_valid_entries_and_reports_invalid_ones()
    {
        var topic = await NewTopic();
        var (queue, _) = await SubscribedQueue(topic, new Dictionary<string, string> { ["RawMessageDelivery"] = "true" });
        var answer = await Sns.Call("PublishBatch", ("TopicArn", topic),
            ("PublishBatchRequestEntries.member.1.Id", "one"), ("PublishBatchRequestEntries.member.1.Message", "first"),
            ("PublishBatchRequestEntries.member.2.Id", "two"), ("PublishBatchRequestEntries.member.2.Message", ""),
            ("PublishBatchRequestEntries.member.3.Id", "three"), ("PublishBatchRequestEntries.member.3.Message", "third"));
        var successful = answer.Descendants().Single(e => e.Name.LocalName == "Successful");
        Assert.Equal(["one", "three"], SnsClient.Values(successful, "Id"));
        var failed = answer.Descendants().Single(e => e.Name.LocalName == "Failed");
        Assert.Equal("two", SnsClient.Value(failed, "Id"));
        Assert.Equal("InvalidParameter", SnsClient.Value(failed, "Code"));
        Assert.Equal("true", SnsClient.Value(failed, "SenderFault"));
        Assert.Equal(["first", "third"], (await Drain(queue)).Select(m => m.Body).Order());

        Assert.Equal("BatchEntryIdsNotDistinct", (await Sns.Fail("PublishBatch", ("TopicArn", topic),
            ("PublishBatchRequestEntries.member.1.Id", "a"), ("PublishBatchRequestEntries.member.1.Message", "m"),
            ("PublishBatchRequestEntries.member.2.Id", "a"), ("PublishBatchRequestEntries.member.2.Message", "m"))).Code);
        Assert.Equal("EmptyBatchRequest", (await Sns.Fail("PublishBatch", ("TopicArn", topic))).Code);
        var eleven = Enumerable.Range(1, 11).SelectMany(i => new[] { ($"PublishBatchRequestEntries.member.{i}.Id", $"e{i}"), ($"PublishBatchRequestEntries.member.{i}.Message", "m") });
        Assert.Equal("TooManyEntriesInBatchRequest", (await Sns.Fail("PublishBatch", [("TopicArn", topic), .. eleven])).Code);
    }

    [Fact]
    public async Task Fifo_topic_delivers_to_fifo_queues_in_order_with_deduplication_and_sequence_numbers()
    {
        var topic = await NewTopic(new Dictionary<string, string> { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "true" });
        var (queue, _) = await SubscribedQueue(topic, new Dictionary<string, string> { ["RawMessageDelivery"] = "true" }, fifo: true);

        var first = await Sns.Call("Publish", ("TopicArn", topic), ("Message", "one"), ("MessageGroupId", "g"));
        var again = await Sns.Call("Publish", ("TopicArn", topic), ("Message", "one"), ("MessageGroupId", "g"));
        Assert.Equal(SnsClient.Value(first, "MessageId"), SnsClient.Value(again, "MessageId"));
        Assert.Equal(SnsClient.Value(first, "SequenceNumber"), SnsClient.Value(again, "SequenceNumber"));
        var second = await Sns.Call("Publish", ("TopicArn", topic), ("Message", "two"), ("MessageGroupId", "g"), ("MessageDeduplicationId", "explicit"));
        Assert.True(string.CompareOrdinal(SnsClient.Value(second, "SequenceNumber"), SnsClient.Value(first, "SequenceNumber")) > 0);

        var messages = await Sqs.Receive(queue, visibility: 300);
        Assert.Equal(["one", "two"], messages.Select(m => m.Body));
        Assert.All(messages, m => Assert.Equal("g", m.Attributes["MessageGroupId"]));

        var (_, code, message) = await Sns.Fail("Publish", ("TopicArn", topic), ("Message", "m"));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: The MessageGroupId parameter is required for FIFO topics", message);
    }

    [Fact]
    public async Task Fifo_topic_without_content_based_deduplication_needs_a_deduplication_id()
    {
        var topic = await NewTopic(new Dictionary<string, string> { ["FifoTopic"] = "true" });
        var (_, code, message) = await Sns.Fail("Publish", ("TopicArn", topic), ("Message", "m"), ("MessageGroupId", "g"));
        Assert.Equal("InvalidParameter", code);
        Assert.Contains("ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", message);
    }

    [Fact]
    public async Task Envelope_of_a_fifo_topic_carries_the_sequence_number()
    {
        var topic = await NewTopic(new Dictionary<string, string> { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "true" });
        var (queue, _) = await SubscribedQueue(topic, fifo: true);
        var sequence = SnsClient.Value(await Sns.Call("Publish", ("TopicArn", topic), ("Message", "m"), ("MessageGroupId", "g")), "SequenceNumber");
        Assert.Equal(sequence, Envelope(Assert.Single(await Drain(queue))).GetProperty("SequenceNumber").GetString());
    }

    [Fact]
    public async Task Delivery_to_a_deleted_queue_goes_to_the_subscriptions_dead_letter_queue()
    {
        var topic = await NewTopic();
        var (dlq, dlqArn) = await NewQueue();
        var (gone, goneArn) = await NewQueue();
        await Sns.Subscribe(topic, "sqs", goneArn, new Dictionary<string, string> { ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = dlqArn }) });
        await Sqs.DeleteQueueAsync(gone);
        await Sns.Publish(topic, "lost without a dlq");
        Assert.Equal("lost without a dlq", Envelope(Assert.Single(await Drain(dlq))).GetProperty("Message").GetString());
    }
}
