using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

/// <summary>Dead-letter queue redrive: message move tasks and RedriveAllowPolicy.</summary>
public sealed class SqsRedriveTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    private async Task<(string Source, string Dlq, string DlqArn)> SourceWithDeadLetters(int count)
    {
        var dlq = await _sqs.NewQueue();
        var dlqArn = (await _sqs.Attributes(dlq, "QueueArn"))["QueueArn"];
        var source = await _sqs.NewQueue(new()
        {
            ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":1}}",
            ["VisibilityTimeout"] = "5",
        });
        for (var i = 0; i < count; i++) await _sqs.SendMessageAsync(source, $"m{i}");
        Assert.Equal(count, (await _sqs.Receive(source)).Count);
        await nephele.AdvanceClock("PT6S");
        Assert.Empty(await _sqs.Receive(source));
        return (source, dlq, dlqArn);
    }

    private async Task<ListMessageMoveTasksResultEntry> Finished(string sourceArn)
    {
        for (var i = 0; i < 200; i++)
        {
            var task = Assert.Single((await _sqs.ListMessageMoveTasksAsync(new ListMessageMoveTasksRequest { SourceArn = sourceArn })).Results);
            if (task.Status != "RUNNING") return task;
            await Task.Delay(20);
        }
        throw new TimeoutException("the move task did not finish");
    }

    [Fact]
    public async Task A_move_task_returns_dead_letters_to_the_queue_they_came_from()
    {
        var (source, dlq, dlqArn) = await SourceWithDeadLetters(3);
        var started = await _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = dlqArn });
        Assert.False(string.IsNullOrEmpty(started.TaskHandle));

        var task = await Finished(dlqArn);
        Assert.Equal("COMPLETED", task.Status);
        Assert.Equal(3, task.ApproximateNumberOfMessagesMoved);
        Assert.Equal(3, task.ApproximateNumberOfMessagesToMove);
        Assert.Null(task.TaskHandle);
        Assert.Empty(await _sqs.Receive(dlq));
        var back = await _sqs.Receive(source);
        Assert.Equal(["m0", "m1", "m2"], back.Select(m => m.Body).Order());
        Assert.All(back, m => Assert.Equal("1", m.Attributes["ApproximateReceiveCount"]));
    }

    [Fact]
    public async Task A_move_task_can_send_dead_letters_to_another_destination()
    {
        var (source, _, dlqArn) = await SourceWithDeadLetters(2);
        var destination = await _sqs.NewQueue();
        var destinationArn = (await _sqs.Attributes(destination, "QueueArn"))["QueueArn"];
        await _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = dlqArn, DestinationArn = destinationArn });
        Assert.Equal("COMPLETED", (await Finished(dlqArn)).Status);
        Assert.Equal(2, (await _sqs.Receive(destination)).Count);
        Assert.Empty(await _sqs.Receive(source));
    }

    [Fact]
    public async Task A_rate_limited_move_task_can_be_cancelled_while_running()
    {
        var (_, dlq, dlqArn) = await SourceWithDeadLetters(3);
        var started = await _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = dlqArn, MaxNumberOfMessagesPerSecond = 1 });
        var second = await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = dlqArn }));
        Assert.Contains("Only one active task", second.Message);

        var cancelled = await _sqs.CancelMessageMoveTaskAsync(new CancelMessageMoveTaskRequest { TaskHandle = started.TaskHandle });
        Assert.InRange(cancelled.ApproximateNumberOfMessagesMoved ?? 0, 0, 1);
        var task = await Finished(dlqArn);
        Assert.Equal("CANCELLED", task.Status);
        Assert.Equal(3 - (int)task.ApproximateNumberOfMessagesMoved!, (await _sqs.Receive(dlq)).Count);
    }

    [Fact]
    public async Task Only_a_dead_letter_queue_can_be_the_source_of_a_move_task()
    {
        var plain = await _sqs.NewQueue();
        var arn = (await _sqs.Attributes(plain, "QueueArn"))["QueueArn"];
        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = arn }));
        Assert.Equal("InvalidParameterValue", error.ErrorCode);
        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = arn + "-missing" }));
        Assert.Contains("SourceArn", missing.Message);
    }

    [Fact]
    public async Task A_redrive_allow_policy_of_denyAll_refuses_every_source()
    {
        var dlq = await _sqs.NewQueue(new() { ["RedriveAllowPolicy"] = "{\"redrivePermission\":\"denyAll\"}" });
        var dlqArn = (await _sqs.Attributes(dlq, "QueueArn"))["QueueArn"];
        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() =>
            _sqs.NewQueue(new() { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":3}}" }));
        Assert.Equal("InvalidParameterValue", error.ErrorCode);
    }

    [Fact]
    public async Task A_redrive_allow_policy_byQueue_admits_only_the_listed_sources()
    {
        var allowed = await _sqs.NewQueue();
        var allowedArn = (await _sqs.Attributes(allowed, "QueueArn"))["QueueArn"];
        var dlq = await _sqs.NewQueue(new() { ["RedriveAllowPolicy"] = $"{{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"{allowedArn}\"]}}" });
        var dlqArn = (await _sqs.Attributes(dlq, "QueueArn"))["QueueArn"];
        var policy = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":3}}";
        await _sqs.SetQueueAttributesAsync(allowed, new() { ["RedrivePolicy"] = policy });
        var other = await _sqs.NewQueue();
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => _sqs.SetQueueAttributesAsync(other, new() { ["RedrivePolicy"] = policy }));
        Assert.False((await _sqs.Attributes(other, "All")).ContainsKey("RedrivePolicy"));
    }

    [Theory]
    [InlineData("{\"redrivePermission\":\"sometimes\"}")]
    [InlineData("{\"redrivePermission\":\"byQueue\"}")]
    [InlineData("{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"arn:aws:sqs:us-east-1:000000000000:x\"]}")]
    [InlineData("not json")]
    public async Task A_malformed_redrive_allow_policy_is_InvalidParameterValue(string policy)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => _sqs.NewQueue(new() { ["RedriveAllowPolicy"] = policy }));
        Assert.Equal("InvalidParameterValue", error.ErrorCode);
    }
}
