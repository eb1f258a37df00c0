using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsMessageTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    [Fact]
    public async Task Sent_message_is_received_with_its_body_and_correct_md5s()
    {
        var url = await _sqs.NewQueue();
        // The SDK recomputes both digests and throws on a mismatch, so a clean send and receive proves them.
        var sent = await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "hello ☁",
            MessageAttributes = new()
            {
                ["colour"] = new MessageAttributeValue { DataType = "String", StringValue = "blue" },
                ["count"] = new MessageAttributeValue { DataType = "Number", StringValue = "42" },
                ["blob"] = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) },
            },
        });
        Assert.Equal("1b3fd0d8e1a6a1a0b6c2f2bd5b7d7d2f".Length, sent.MD5OfMessageBody.Length);
        var message = Assert.Single(await _sqs.Receive(url));
        Assert.Equal("hello ☁", message.Body);
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal(sent.MD5OfMessageBody, message.MD5OfBody);
        Assert.Equal(3, message.MessageAttributes.Count);
        Assert.Equal("42", message.MessageAttributes["count"].StringValue);
        Assert.Equal("blue", message.MessageAttributes["colour"].StringValue);
        Assert.Equal([1, 2, 3], message.MessageAttributes["blob"].BinaryValue.ToArray());
        Assert.Equal(sent.MD5OfMessageAttributes, message.MD5OfMessageAttributes);
        Assert.Equal("1", message.Attributes["ApproximateReceiveCount"]);
        Assert.True(long.Parse(message.Attributes["SentTimestamp"], CultureInfo.InvariantCulture) > 1_700_000_000_000);
        Assert.Equal(message.Attributes["ApproximateFirstReceiveTimestamp"], message.Attributes["ApproximateFirstReceiveTimestamp"]);
    }

    [Fact]
    public async Task Body_md5_matches_the_value_aws_computes()
    {
        var url = await _sqs.NewQueue();
        var sent = await _sqs.SendMessageAsync(url, "hello");
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", sent.MD5OfMessageBody);
    }

    [Fact]
    public async Task A_trace_header_is_digested_on_send_and_returned_on_receive()
    {
        var url = await _sqs.NewQueue();
        var sent = await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "traced",
            MessageSystemAttributes = new() { ["AWSTraceHeader"] = new MessageSystemAttributeValue { DataType = "String", StringValue = "Root=1-5759e988-bd862e3fe1be46a994272793" } },
        });
        Assert.Equal(32, sent.MD5OfMessageSystemAttributes.Length);
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793", Assert.Single(await _sqs.Receive(url)).Attributes["AWSTraceHeader"]);
    }

    [Fact]
    public async Task A_message_over_256_KiB_is_rejected()
    {
        var url = await _sqs.NewQueue();
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(url, new string('x', 262_145)));
        Assert.Equal("InvalidParameterValue", e.ErrorCode);
        await _sqs.SendMessageAsync(url, new string('x', 262_144));
    }

    [Fact]
    public async Task Receive_hides_message_until_visibility_timeout_expires_on_the_nephele_clock()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "once");
        Assert.Single(await _sqs.Receive(url, visibility: 30));
        Assert.Empty(await _sqs.Receive(url));
        var counts = await _sqs.Attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible");
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("1", counts["ApproximateNumberOfMessagesNotVisible"]);

        await nephele.AdvanceClock("PT31S");
        var again = Assert.Single(await _sqs.Receive(url));
        Assert.Equal("once", again.Body);
        Assert.Equal("2", again.Attributes["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task Delay_seconds_keep_a_message_delayed_until_the_clock_passes_them()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "later", DelaySeconds = 60 });
        Assert.Empty(await _sqs.Receive(url));
        Assert.Equal("1", (await _sqs.Attributes(url, "ApproximateNumberOfMessagesDelayed"))["ApproximateNumberOfMessagesDelayed"]);
        await nephele.AdvanceClock("PT61S");
        Assert.Equal("later", Assert.Single(await _sqs.Receive(url)).Body);
    }

    [Fact]
    public async Task Deleted_message_is_never_redelivered()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "done");
        var message = Assert.Single(await _sqs.Receive(url, visibility: 5));
        await _sqs.DeleteMessageAsync(url, message.ReceiptHandle);
        await nephele.AdvanceClock("PT10S");
        Assert.Empty(await _sqs.Receive(url));
    }

    [Fact]
    public async Task A_garbage_receipt_handle_is_ReceiptHandleIsInvalid()
    {
        var url = await _sqs.NewQueue();
        await Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => _sqs.DeleteMessageAsync(url, "not-a-handle"));
    }

    [Fact]
    public async Task Change_message_visibility_to_zero_makes_it_receivable_again()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "retry");
        var message = Assert.Single(await _sqs.Receive(url, visibility: 600));
        await _sqs.ChangeMessageVisibilityAsync(url, message.ReceiptHandle, 0);
        Assert.Equal("2", Assert.Single(await _sqs.Receive(url)).Attributes["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task Change_visibility_of_a_message_not_in_flight_is_MessageNotInflight()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "x");
        var message = Assert.Single(await _sqs.Receive(url, visibility: 1));
        await nephele.AdvanceClock("PT2S");
        await Assert.ThrowsAsync<MessageNotInflightException>(() => _sqs.ChangeMessageVisibilityAsync(url, message.ReceiptHandle, 30));
    }

    [Fact]
    public async Task Batches_report_per_entry_results_and_failures()
    {
        var url = await _sqs.NewQueue();
        var sent = await _sqs.SendMessageBatchAsync(url, [
            new SendMessageBatchRequestEntry("a", "first"),
            new SendMessageBatchRequestEntry("b", "second"),
            new SendMessageBatchRequestEntry("c", "third") { DelaySeconds = 901 },
        ]);
        Assert.Equal(["a", "b"], sent.Successful.Select(s => s.Id).Order());
        Assert.Equal("c", Assert.Single(sent.Failed).Id);
        Assert.True(sent.Failed[0].SenderFault);

        var received = await _sqs.Receive(url, visibility: 60);
        Assert.Equal(2, received.Count);
        var visibility = await _sqs.ChangeMessageVisibilityBatchAsync(url, [
            new ChangeMessageVisibilityBatchRequestEntry("x", received[0].ReceiptHandle) { VisibilityTimeout = 120 },
            new ChangeMessageVisibilityBatchRequestEntry("y", "bogus") { VisibilityTimeout = 120 },
        ]);
        Assert.Equal("x", Assert.Single(visibility.Successful).Id);
        Assert.Equal("ReceiptHandleIsInvalid", Assert.Single(visibility.Failed).Code);

        var deleted = await _sqs.DeleteMessageBatchAsync(url, received.Select((m, i) => new DeleteMessageBatchRequestEntry($"d{i}", m.ReceiptHandle)).ToList());
        Assert.Equal(2, deleted.Successful.Count);
        await nephele.AdvanceClock("PT3M");
        Assert.Empty(await _sqs.Receive(url));
    }

    [Fact]
    public async Task Batch_with_repeated_ids_or_too_many_entries_is_rejected_whole()
    {
        var url = await _sqs.NewQueue();
        await Assert.ThrowsAsync<BatchEntryIdsNotDistinctException>(() => _sqs.SendMessageBatchAsync(url,
            [new SendMessageBatchRequestEntry("same", "1"), new SendMessageBatchRequestEntry("same", "2")]));
        await Assert.ThrowsAsync<TooManyEntriesInBatchRequestException>(() => _sqs.SendMessageBatchAsync(url,
            Enumerable.Range(0, 11).Select(i => new SendMessageBatchRequestEntry($"e{i}", "m")).ToList()));
        Assert.Empty(await _sqs.Receive(url));
    }

    [Fact]
    public async Task Max_number_of_messages_outside_1_to_10_is_InvalidParameterValue()
    {
        var url = await _sqs.NewQueue();
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.Receive(url, max: 11));
        Assert.Equal("InvalidParameterValue", e.ErrorCode);
    }

    [Fact]
    public async Task Long_poll_returns_as_soon_as_a_message_arrives()
    {
        var url = await _sqs.NewQueue();
        var started = DateTime.UtcNow;
        var receive = _sqs.Receive(url, wait: 20);
        await Task.Delay(300);
        Assert.False(receive.IsCompleted);
        await _sqs.SendMessageAsync(url, "wake up");
        Assert.Equal("wake up", Assert.Single(await receive).Body);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Long_poll_on_an_empty_queue_answers_empty_after_the_wait()
    {
        var url = await _sqs.NewQueue();
        var started = DateTime.UtcNow;
        Assert.Empty(await _sqs.Receive(url, wait: 1));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task Purge_removes_every_message_and_a_second_purge_within_60_seconds_is_refused()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "a");
        await _sqs.SendMessageAsync(url, "b");
        await _sqs.PurgeQueueAsync(url);
        Assert.Empty(await _sqs.Receive(url));
        await Assert.ThrowsAsync<PurgeQueueInProgressException>(() => _sqs.PurgeQueueAsync(url));
        await nephele.AdvanceClock("PT61S");
        await _sqs.PurgeQueueAsync(url);
    }

    [Fact]
    public async Task Messages_older_than_the_retention_period_are_not_delivered()
    {
        var url = await _sqs.NewQueue(new() { ["MessageRetentionPeriod"] = "60" });
        await _sqs.SendMessageAsync(url, "stale");
        await nephele.AdvanceClock("PT61S");
        Assert.Empty(await _sqs.Receive(url));
        Assert.Equal("0", (await _sqs.Attributes(url, "ApproximateNumberOfMessages"))["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task Concurrent_receivers_get_disjoint_messages()
    {
        var url = await _sqs.NewQueue();
        // More than one page of rows, so claims also cross page boundaries.
        for (var i = 0; i < 10; i++)
            await _sqs.SendMessageBatchAsync(url, Enumerable.Range(0, 10).Select(j => new SendMessageBatchRequestEntry($"m{j}", $"{i}-{j}")).ToList());
        var receivers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var got = new List<string>();
            for (var round = 0; round < 15; round++) got.AddRange((await _sqs.Receive(url, visibility: 600)).Select(m => m.MessageId));
            return got;
        }));
        var all = (await Task.WhenAll(receivers)).SelectMany(g => g).ToList();
        Assert.Equal(100, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
