using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private Dictionary<string, object?> GetQueueAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var names = input.GetStrings("AttributeNames");
        foreach (var name in names)
            if (name != "All" && !QueueAttributes.IsKnown(name)) throw SqsErrors.InvalidAttributeName(name);
        var all = names.Contains("All");
        var wanted = all ? QueueAttributes.ReadOnly.Concat(QueueAttributes.Settable(queue.Queue)).ToList() : names.Distinct().ToList();
        if (wanted.Count == 0) return [];

        var counts = wanted.Any(n => n.StartsWith("Approximate", StringComparison.Ordinal)) ? CountMessages(queue, Millis(ctx)) : default;
        var result = new Dictionary<string, object?>();
        foreach (var name in wanted)
        {
            var value = name switch
            {
                "QueueArn" => queue.Arn,
                "ApproximateNumberOfMessages" => Text(counts.Visible),
                "ApproximateNumberOfMessagesNotVisible" => Text(counts.InFlight),
                "ApproximateNumberOfMessagesDelayed" => Text(counts.Delayed),
                "CreatedTimestamp" => Text(queue.Queue.CreatedTimestamp),
                "LastModifiedTimestamp" => Text(queue.Queue.LastModifiedTimestamp),
                _ => QueueAttributes.Effective(queue.Queue, name),
            };
            if (value is { Length: > 0 }) result[name] = value;
        }
        return new() { ["Attributes"] = result };
    }

    private Dictionary<string, object?> SetQueueAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var given = input.GetStringMap("Attributes");
        foreach (var name in given.Keys)
            if (QueueAttributes.ReadOnly.Contains(name)) throw SqsErrors.InvalidAttributeName(name);
        var attributes = QueueAttributes.Validate(given, queue.Scope, creating: false);
        EnsureDeadLetterTargetAllows(attributes, queue.Arn);
        _state.Transaction(() =>
        {
            var current = _queues.Get(queue.Scope, queue.Name, SqsJsonContext.Default.QueueRecord) ?? throw SqsErrors.QueueDoesNotExist();
            foreach (var (name, value) in attributes)
            {
                // An empty RedrivePolicy (or Policy) removes it, as in AWS.
                if (value.Length == 0) current.Attributes.Remove(name);
                else current.Attributes[name] = value;
            }
            current.LastModifiedTimestamp = ctx.Now.ToUnixTimeSeconds();
            SaveQueue(queue with { Queue = current });
            return 0;
        });
        return [];
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
