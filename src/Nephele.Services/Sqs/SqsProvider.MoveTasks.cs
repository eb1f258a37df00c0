using System.Text;
using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>
/// Message move tasks (dead-letter queue redrive): messages available in a DLQ go back to the queues they came
/// from, or to a chosen destination, in the background. The task's progress is stored with every batch, so a
/// restart resumes it; a rate limit waits on Nephele's clock between batches.
/// </summary>
public sealed partial class SqsProvider
{
    private const int UnlimitedBatch = 100;

    private Dictionary<string, object?> StartMessageMoveTask(RequestContext ctx, Dictionary<string, object?> input)
    {
        var sourceArn = input.GetString("SourceArn") ?? throw SqsErrors.MissingParameter("SourceArn");
        var source = QueueAt(sourceArn) ?? throw ResourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        if (!_queues.Values(source.Scope, SqsJsonContext.Default.QueueRecord).Any(q => QueueAttributes.RedriveTarget(q)?.Arn == sourceArn))
            throw SqsErrors.InvalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
        var destinationArn = input.GetString("DestinationArn");
        if (destinationArn is not null && QueueAt(destinationArn) is null)
            throw ResourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
        var rate = input.GetInt("MaxNumberOfMessagesPerSecond");
        if (rate is < 1 or > 500)
            throw SqsErrors.InvalidParameterValue($"Value {rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.");

        var now = Millis(ctx);
        var task = new MoveTaskRecord
        {
            TaskId = Guid.NewGuid().ToString(),
            SourceArn = sourceArn,
            DestinationArn = destinationArn,
            MaxNumberOfMessagesPerSecond = rate,
            ToMove = Rows(source).Count(r => JsonSerializer.Deserialize(r.Value, SqsJsonContext.Default.MessageRecord)!.VisibleAtMillis <= now),
            StartedMillis = now,
        };
        var key = $"{MessagePrefix(source.Name)}{now:D15}-{task.TaskId}";
        _state.Transaction(() =>
        {
            if (Tasks(source).Any(t => t.Task.Status == "RUNNING"))
                throw new AwsException("UnsupportedOperation",
                    "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
            _moveTasks.Put(source.Scope, key, task, SqsJsonContext.Default.MoveTaskRecord);
            return 0;
        });
        _ = Task.Run(() => RunMoveTask(source.Scope, key));
        return new() { ["TaskHandle"] = Handle(source.Scope, key) };
    }

    private Dictionary<string, object?> ListMessageMoveTasks(RequestContext ctx, Dictionary<string, object?> input)
    {
        var sourceArn = input.GetString("SourceArn") ?? throw SqsErrors.MissingParameter("SourceArn");
        var source = QueueAt(sourceArn) ?? throw ResourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        var max = input.GetInt("MaxResults") ?? 1;
        if (max is < 1 or > 10)
            throw SqsErrors.InvalidParameterValue($"Value {max} for parameter MaxResults is invalid. Reason: Must be between 1 and 10.");
        // Most recent first.
        var results = Tasks(source).Reverse().Take(max).Select(t =>
        {
            var entry = new Dictionary<string, object?>
            {
                ["Status"] = t.Task.Status,
                ["SourceArn"] = t.Task.SourceArn,
                ["DestinationArn"] = t.Task.DestinationArn,
                ["MaxNumberOfMessagesPerSecond"] = t.Task.MaxNumberOfMessagesPerSecond is { } r ? (long)r : null,
                ["ApproximateNumberOfMessagesMoved"] = t.Task.Moved,
                ["ApproximateNumberOfMessagesToMove"] = t.Task.ToMove,
                ["FailureReason"] = t.Task.FailureReason,
                ["StartedTimestamp"] = t.Task.StartedMillis,
            };
            // Only a running task has a handle to cancel it by.
            if (t.Task.Status == "RUNNING") entry["TaskHandle"] = Handle(source.Scope, t.Key);
            return (object?)entry;
        }).ToList();
        return new() { ["Results"] = results };
    }

    private Dictionary<string, object?> CancelMessageMoveTask(RequestContext ctx, Dictionary<string, object?> input)
    {
        var handle = input.GetString("TaskHandle") ?? throw SqsErrors.MissingParameter("TaskHandle");
        var (scope, key) = ParseHandle(handle) ?? throw ResourceNotFound("Task does not exist.");
        return _state.Transaction(() =>
        {
            var task = _moveTasks.Get(scope, key, SqsJsonContext.Default.MoveTaskRecord) ?? throw ResourceNotFound("Task does not exist.");
            if (task.Status != "RUNNING")
                throw new AwsException("UnsupportedOperation", "Only active tasks can be cancelled.");
            task.Status = "CANCELLED";
            _moveTasks.Put(scope, key, task, SqsJsonContext.Default.MoveTaskRecord);
            return new Dictionary<string, object?> { ["ApproximateNumberOfMessagesMoved"] = task.Moved };
        });
    }

    private void ResumeMoveTasks()
    {
        foreach (var scope in _moveTasks.Scopes())
            foreach (var row in _moveTasks.List(scope))
                if (JsonSerializer.Deserialize(row.Value, SqsJsonContext.Default.MoveTaskRecord)!.Status == "RUNNING")
                    _ = Task.Run(() => RunMoveTask(scope, row.Key));
    }

    /// <summary>Moves batches until the task has moved what it set out to, runs out of messages, or is cancelled.</summary>
    private async Task RunMoveTask(Scope scope, string key)
    {
        while (true)
        {
            var pulses = new HashSet<string>(StringComparer.Ordinal);
            var running = _state.Transaction(() => MoveBatch(scope, key, pulses));
            foreach (var queue in pulses) _signals.Pulse(queue);
            if (!running) return;
            if (_moveTasks.Get(scope, key, SqsJsonContext.Default.MoveTaskRecord)?.MaxNumberOfMessagesPerSecond is not null)
                await Task.Delay(TimeSpan.FromSeconds(1), _clock).ConfigureAwait(false);
        }
    }

    /// <summary>One batch in one transaction; true while the task should go on.</summary>
    private bool MoveBatch(Scope scope, string key, HashSet<string> pulses)
    {
        var task = _moveTasks.Get(scope, key, SqsJsonContext.Default.MoveTaskRecord);
        if (task is not { Status: "RUNNING" }) return false;
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var budget = Math.Min(task.MaxNumberOfMessagesPerSecond ?? UnlimitedBatch, task.ToMove - task.Moved);
        var moved = 0;
        if (QueueAt(task.SourceArn) is not { } source)
            task.FailureReason = "AWS.SimpleQueueService.NonExistentQueue";
        else
        {
            foreach (var row in Rows(source).ToList())
            {
                if (moved >= budget) break;
                var message = JsonSerializer.Deserialize(row.Value, SqsJsonContext.Default.MessageRecord)!;
                if (message.VisibleAtMillis > now) continue;
                if ((task.DestinationArn ?? message.DeadLetterSourceArn) is not { } arn || QueueAt(arn) is not { } destination)
                {
                    task.FailureReason = "AWS.SimpleQueueService.NonExistentQueue";
                    break;
                }
                _messages.Delete(source.Scope, row.Key);
                message.VisibleAtMillis = now;
                message.ReceiveCount = 0;
                message.FirstReceiveMillis = 0;
                message.ReceiptNonce = "";
                message.DeadLetterSourceArn = null;
                _messages.Put(destination.Scope, $"{MessagePrefix(destination.Name)}{now:D15}-{message.MessageId}", message, SqsJsonContext.Default.MessageRecord);
                pulses.Add(destination.SignalKey);
                moved++;
            }
        }
        task.Moved += moved;
        if (task.FailureReason is not null) task.Status = "FAILED";
        else if (task.Moved >= task.ToMove || moved < budget) task.Status = "COMPLETED";
        _moveTasks.Put(scope, key, task, SqsJsonContext.Default.MoveTaskRecord);
        return task.Status == "RUNNING";
    }

    private IEnumerable<(string Key, MoveTaskRecord Task)> Tasks(QueueRef source) =>
        _moveTasks.List(source.Scope, MessagePrefix(source.Name))
            .Select(r => (r.Key, JsonSerializer.Deserialize(r.Value, SqsJsonContext.Default.MoveTaskRecord)!));

    private static string Handle(Scope scope, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{scope.AccountId}|{scope.Region}|{key}"));

    private static (Scope, string)? ParseHandle(string handle)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(handle)).Split('|');
            return parts.Length == 3 ? (new Scope(parts[0], parts[1]), parts[2]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static AwsException ResourceNotFound(string message) => new("ResourceNotFoundException", message);
}
