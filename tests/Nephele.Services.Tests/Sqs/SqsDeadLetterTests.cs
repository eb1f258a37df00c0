using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsDeadLetterTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    [Fact]
    public async Task A_message_received_more_than_maxReceiveCount_times_moves_to_the_dead_letter_queue()
    {
        var dlq = await _sqs.NewQueue();
        var dlqArn = (await _sqs.Attributes(dlq, "QueueArn"))["QueueArn"];
        var source = await _sqs.NewQueue(new()
        {
            ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"2\"}}",
            ["VisibilityTimeout"] = "10",
        });
        var sent = await _sqs.SendMessageAsync(source, "poison");
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await _sqs.Receive(source));
            await nephele.AdvanceClock("PT11S");
        }
        Assert.Empty(await _sqs.Receive(source));
        var dead = Assert.Single(await _sqs.Receive(dlq));
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);

        var sources = await _sqs.ListDeadLetterSourceQueuesAsync(new ListDeadLetterSourceQueuesRequest { QueueUrl = dlq });
        Assert.Equal([source], sources.QueueUrls);
    }

    [Fact]
    public async Task Redrive_policy_is_returned_with_a_numeric_maxReceiveCount()
    {
        var dlq = await _sqs.NewQueue();
        var dlqArn = (await _sqs.Attributes(dlq, "QueueArn"))["QueueArn"];
        var source = await _sqs.NewQueue();
        await _sqs.SetQueueAttributesAsync(source, new() { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"5\"}}" });
        Assert.Equal($"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":5}}", (await _sqs.Attributes(source, "RedrivePolicy"))["RedrivePolicy"]);
    }

    [Fact]
    public async Task A_redrive_policy_naming_a_missing_queue_is_InvalidParameterValue()
    {
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.NewQueue(new()
        {
            ["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:no-such-dlq\",\"maxReceiveCount\":3}",
        }));
        Assert.Equal("InvalidParameterValue", e.ErrorCode);
        Assert.Contains("Dead letter target does not exist", e.Message);
    }

    [Fact]
    public async Task A_redrive_policy_with_a_bad_maxReceiveCount_is_InvalidParameterValue()
    {
        var e = await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.NewQueue(new()
        {
            ["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:x\",\"maxReceiveCount\":0}",
        }));
        Assert.Equal("InvalidParameterValue", e.ErrorCode);
    }
}
