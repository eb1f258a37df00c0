using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private Dictionary<string, object?> DeleteMessage(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        Delete(queue, input.GetString("ReceiptHandle"));
        return [];
    }

    private Dictionary<string, object?> DeleteMessageBatch(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        return Batch(BatchEntries(input, "DeleteMessageBatchRequestEntry"), entry => Delete(queue, entry.GetString("ReceiptHandle")));
    }

    private Dictionary<string, object?> ChangeMessageVisibility(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        ChangeVisibility(ctx, queue, input);
        return [];
    }

    private Dictionary<string, object?> ChangeMessageVisibilityBatch(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        return Batch(BatchEntries(input, "ChangeMessageVisibilityBatchRequestEntry"), entry => ChangeVisibility(ctx, queue, entry));
    }

    private static Dictionary<string, object?> Batch(List<Dictionary<string, object?>> entries, Action<Dictionary<string, object?>> apply)
    {
        var successful = new List<object?>();
        var failed = new List<object?>();
        foreach (var entry in entries)
        {
            try
            {
                apply(entry);
                successful.Add(new Dictionary<string, object?> { ["Id"] = entry.GetString("Id") });
            }
            catch (AwsException e)
            {
                failed.Add(BatchError(entry.GetString("Id"), e));
            }
        }
        return new() { ["Successful"] = successful, ["Failed"] = failed };
    }

    /// <summary>Deleting an already deleted message succeeds, as in AWS; a handle of another queue or garbage does not.</summary>
    private void Delete(QueueRef queue, string? handle)
    {
        var key = MessageKey(queue, handle);
        _messages.Delete(queue.Scope, key);
    }

    private void ChangeVisibility(RequestContext ctx, QueueRef queue, Dictionary<string, object?> input)
    {
        var key = MessageKey(queue, input.GetString("ReceiptHandle"));
        var timeout = input.GetLong("VisibilityTimeout") ?? throw SqsErrors.MissingParameter("VisibilityTimeout");
        if (timeout is < 0 or > 43_200) throw SqsErrors.OutOfRange("VisibilityTimeout", timeout, 0, 43_200);
        var now = Millis(ctx);
        _state.Transaction(() =>
        {
            var message = _messages.Get(queue.Scope, key, SqsJsonContext.Default.MessageRecord);
            if (message is null || message.ReceiveCount == 0 || message.VisibleAtMillis <= now)
                throw new AwsException("MessageNotInflight", "The message referred to isn't in flight.");
            message.VisibleAtMillis = now + timeout * 1000;
            _messages.Put(queue.Scope, key, message, SqsJsonContext.Default.MessageRecord);
            return 0;
        });
        // Visibility 0 makes the message receivable now: wake long pollers.
        if (timeout == 0) _signals.Pulse(queue.SignalKey);
    }

    private static string MessageKey(QueueRef queue, string? handle)
    {
        if (string.IsNullOrEmpty(handle)) throw SqsErrors.MissingParameter("ReceiptHandle");
        if (ReceiptHandles.Decode(handle) is not { } decoded || !decoded.Key.StartsWith(MessagePrefix(queue.Name), StringComparison.Ordinal))
            throw SqsErrors.ReceiptHandleIsInvalid(handle);
        return decoded.Key;
    }
}
