using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsFifoTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    private async Task<string> FifoQueue(bool contentBased = false) =>
        (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"f-{Guid.NewGuid():N}"[..20] + ".fifo",
            Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = contentBased ? "true" : "false" },
        })).QueueUrl;

    private static SendMessageRequest Send(string url, string body, string group, string? dedup = null) =>
        new() { QueueUrl = url, MessageBody = body, MessageGroupId = group, MessageDeduplicationId = dedup };

    [Fact]
    public async Task A_fifo_send_without_a_group_id_is_MissingParameter()
    {
        var url = await FifoQueue(contentBased: true);
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(url, "no group"));
        Assert.Equal("MissingParameter", e.ErrorCode);
    }

    [Fact]
    public async Task A_fifo_send_without_deduplication_needs_content_based_deduplication()
    {
        var url = await FifoQueue();
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(Send(url, "x", "g")));
        Assert.Equal("InvalidParameterValue", e.ErrorCode);
    }

    [Fact]
    public async Task A_duplicate_within_five_minutes_is_accepted_but_delivered_once()
    {
        var url = await FifoQueue(contentBased: true);
        var first = await _sqs.SendMessageAsync(Send(url, "same", "g"));
        var second = await _sqs.SendMessageAsync(Send(url, "same", "g"));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.False(string.IsNullOrEmpty(first.SequenceNumber));
        Assert.Single(await _sqs.Receive(url));

        await nephele.AdvanceClock("PT6M");
        var third = await _sqs.SendMessageAsync(Send(url, "same", "g"));
        Assert.NotEqual(first.MessageId, third.MessageId);
    }

    [Fact]
    public async Task A_group_is_locked_while_its_earlier_message_is_in_flight_and_keeps_its_order()
    {
        var url = await FifoQueue();
        for (var i = 0; i < 3; i++) await _sqs.SendMessageAsync(Send(url, $"a{i}", "A", $"a{i}"));
        await _sqs.SendMessageAsync(Send(url, "b0", "B", "b0"));

        var first = Assert.Single(await _sqs.Receive(url, max: 1, visibility: 30));
        Assert.Equal("a0", first.Body);
        Assert.Equal("A", first.Attributes["MessageGroupId"]);
        // a1 must wait for a0; group B is free.
        Assert.Equal(["b0"], (await _sqs.Receive(url, visibility: 30)).Select(m => m.Body));
        await _sqs.DeleteMessageAsync(url, first.ReceiptHandle);
        Assert.Equal(["a1", "a2"], (await _sqs.Receive(url, visibility: 30)).Select(m => m.Body));
    }
}
