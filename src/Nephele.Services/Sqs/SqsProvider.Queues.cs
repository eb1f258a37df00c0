using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private Dictionary<string, object?> CreateQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("QueueName") ?? throw SqsErrors.MissingParameter("QueueName");
        var attributes = QueueAttributes.Validate(input.GetStringMap("Attributes"), ctx.Scope, creating: true);
        var fifoRequested = attributes.GetValueOrDefault("FifoQueue") == "true";
        QueueAttributes.ValidateName(name, fifoRequested);
        if (!fifoRequested) attributes.Remove("FifoQueue");
        EnsureDeadLetterTargetAllows(attributes, Arn(ctx.Scope, name));
        var tags = input.GetStringMap("tags");

        var now = ctx.Now.ToUnixTimeSeconds();
        var record = new QueueRecord { Name = name, Attributes = attributes, Tags = tags, CreatedTimestamp = now, LastModifiedTimestamp = now };
        _state.Transaction(() =>
        {
            // AWS keeps a deleted queue's name for 60 seconds.
            if (_deleted.Get(ctx.Scope, name) is { } deleted && ctx.Now.ToUnixTimeMilliseconds() - BitConverter.ToInt64(deleted) < 60_000
                && _queues.Get(ctx.Scope, name) is null)
                throw new AwsException("QueueDeletedRecently",
                    "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
            if (_queues.TryAdd(ctx.Scope, name, record, SqsJsonContext.Default.QueueRecord)) return 0;
            // Creating an existing queue is idempotent only when every attribute asked for matches.
            var existing = _queues.Get(ctx.Scope, name, SqsJsonContext.Default.QueueRecord)!;
            foreach (var (key, value) in attributes)
                if (QueueAttributes.Effective(existing, key) != value)
                    throw new AwsException("QueueNameExists", $"A queue already exists with the same name and a different value for attribute {key}");
            return 0;
        });
        return new() { ["QueueUrl"] = QueueUrl(ctx, ctx.Scope, name) };
    }

    private Dictionary<string, object?> GetQueueUrl(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("QueueName") ?? throw SqsErrors.MissingParameter("QueueName");
        var owner = input.GetString("QueueOwnerAWSAccountId") is { Length: > 0 } o ? o : ctx.AccountId;
        var scope = new Scope(owner, ctx.Region);
        if (_queues.Get(scope, name) is null) throw SqsErrors.QueueDoesNotExist();
        return new() { ["QueueUrl"] = QueueUrl(ctx, scope, name) };
    }

    private Dictionary<string, object?> ListQueues(RequestContext ctx, Dictionary<string, object?> input)
    {
        var prefix = input.GetString("QueueNamePrefix") ?? "";
        var max = input.GetInt("MaxResults");
        if (max is < 1 or > 1000) throw SqsErrors.OutOfRange("MaxResults", max.Value, 1, 1000);
        var after = PageToken.Resume(input.GetString("NextToken"), () => SqsErrors.InvalidParameterValue("Invalid NextToken value."));
        var limit = max ?? 1000;
        // One row more than asked for tells whether there is a next page.
        var rows = _queues.List(ctx.Scope, prefix, after, limit + 1);
        var page = rows.Take(limit).Select(r => (object?)QueueUrl(ctx, ctx.Scope, r.Key)).ToList();
        var output = new Dictionary<string, object?> { ["QueueUrls"] = page };
        // AWS pages only when MaxResults is given.
        if (max is not null && rows.Count > limit)
            output["NextToken"] = PageToken.After(rows[limit - 1].Key);
        return output;
    }

    private Dictionary<string, object?> DeleteQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        _state.Transaction(() =>
        {
            _queues.Delete(queue.Scope, queue.Name);
            _deleted.Put(queue.Scope, queue.Name, BitConverter.GetBytes(ctx.Now.ToUnixTimeMilliseconds()));
            DeleteAllMessages(queue);
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> PurgeQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var now = Millis(ctx);
        _state.Transaction(() =>
        {
            var current = _queues.Get(queue.Scope, queue.Name, SqsJsonContext.Default.QueueRecord) ?? throw SqsErrors.QueueDoesNotExist();
            // AWS allows one purge per queue every 60 seconds.
            if (current.LastPurgeMillis > 0 && now - current.LastPurgeMillis < 60_000)
                throw new AwsException("PurgeQueueInProgress",
                    $"Only one PurgeQueue operation on {queue.Name} is allowed every 60 seconds.", 403);
            current.LastPurgeMillis = now;
            SaveQueue(queue with { Queue = current });
            DeleteAllMessages(queue);
            return 0;
        });
        return [];
    }

    private void DeleteAllMessages(QueueRef queue)
    {
        foreach (var row in _messages.List(queue.Scope, MessagePrefix(queue.Name)))
            _messages.Delete(queue.Scope, row.Key);
        foreach (var row in _deduplication.List(queue.Scope, MessagePrefix(queue.Name)))
            _deduplication.Delete(queue.Scope, row.Key);
    }

    private Dictionary<string, object?> TagQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var tags = input.GetStringMap("Tags");
        _state.Transaction(() =>
        {
            var current = _queues.Get(queue.Scope, queue.Name, SqsJsonContext.Default.QueueRecord) ?? throw SqsErrors.QueueDoesNotExist();
            foreach (var (key, value) in tags) current.Tags[key] = value;
            if (current.Tags.Count > 50) throw SqsErrors.InvalidParameterValue("Too many tags added for queue " + queue.Name + ".");
            SaveQueue(queue with { Queue = current });
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> UntagQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var keys = input.GetStrings("TagKeys");
        _state.Transaction(() =>
        {
            var current = _queues.Get(queue.Scope, queue.Name, SqsJsonContext.Default.QueueRecord) ?? throw SqsErrors.QueueDoesNotExist();
            foreach (var key in keys) current.Tags.Remove(key);
            SaveQueue(queue with { Queue = current });
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> ListQueueTags(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var output = new Dictionary<string, object?>();
        if (queue.Queue.Tags.Count > 0)
            output["Tags"] = queue.Queue.Tags.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        return output;
    }

    private Dictionary<string, object?> ListDeadLetterSourceQueues(RequestContext ctx, Dictionary<string, object?> input)
    {
        var dlq = ResolveQueue(ctx, input);
        var urls = new List<object?>();
        foreach (var row in _queues.List(dlq.Scope))
        {
            var q = System.Text.Json.JsonSerializer.Deserialize(row.Value, SqsJsonContext.Default.QueueRecord)!;
            if (QueueAttributes.RedriveTarget(q) is { } target && target.Arn == dlq.Arn) urls.Add(QueueUrl(ctx, dlq.Scope, q.Name));
        }
        return new() { ["queueUrls"] = urls };
    }
}
