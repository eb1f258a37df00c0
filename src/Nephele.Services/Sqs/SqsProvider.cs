using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>
/// SQS standard queues: one handler set for both the JSON and the query protocol. Queues and messages live in
/// the state store (one row per message, keyed by queue and send order); every timer is a stored deadline
/// compared with Nephele's clock, so clock advances and restarts need no background work.
/// </summary>
public sealed partial class SqsProvider(ServiceEnvironment env) : IAwsProvider
{
    private readonly IStateStore _state = env.State;
    private readonly IResourceTable _queues = env.State.Table("sqs", "queues");
    private readonly TableCache<(Scope, string), QueueRecord?> _queueCache = new(env.State.Table("sqs", "queues"));
    private readonly IResourceTable _messages = env.State.Table("sqs", "messages");
    private readonly IResourceTable _deduplication = env.State.Table("sqs", "deduplication");
    private readonly IResourceTable _deleted = env.State.Table("sqs", "deleted-queues");
    private readonly IResourceTable _moveTasks = env.State.Table("sqs", "move-tasks");
    private readonly TimeProvider _clock = env.Clock;
    private readonly QueueSignals _signals = new();

    public string ServiceName => "sqs";

    public void Register(OperationRegistry operations)
    {
        // Register runs once, when the server assembles its providers: the moment to resume move tasks a restart interrupted.
        ResumeMoveTasks();
        // Other services (SNS, Lambda's event source mappings) reach queues by ARN through the event bus, never through this class.
        env.Events.RegisterTarget("sqs", this);
        env.Events.RegisterSource("sqs", this);
        RegisterOperations(operations);
    }

    private void RegisterOperations(OperationRegistry operations) => operations
        .On("CreateQueue", CreateQueue)
        .On("GetQueueUrl", GetQueueUrl)
        .On("ListQueues", ListQueues)
        .On("DeleteQueue", DeleteQueue)
        .On("GetQueueAttributes", GetQueueAttributes)
        .On("SetQueueAttributes", SetQueueAttributes)
        .On("TagQueue", TagQueue)
        .On("UntagQueue", UntagQueue)
        .On("ListQueueTags", ListQueueTags)
        .On("PurgeQueue", PurgeQueue)
        .On("ListDeadLetterSourceQueues", ListDeadLetterSourceQueues)
        .On("SendMessage", SendMessage)
        .On("SendMessageBatch", SendMessageBatch)
        .On("ReceiveMessage", ReceiveMessage)
        .On("DeleteMessage", DeleteMessage)
        .On("DeleteMessageBatch", DeleteMessageBatch)
        .On("ChangeMessageVisibility", ChangeMessageVisibility)
        .On("ChangeMessageVisibilityBatch", ChangeMessageVisibilityBatch)
        .On("AddPermission", AddPermission)
        .On("RemovePermission", RemovePermission)
        .On("StartMessageMoveTask", StartMessageMoveTask)
        .On("ListMessageMoveTasks", ListMessageMoveTasks)
        .On("CancelMessageMoveTask", CancelMessageMoveTask);

    /// <summary>A queue found from a request: where it lives and its stored record.</summary>
    private readonly record struct QueueRef(Scope Scope, QueueRecord Queue)
    {
        public string Name => Queue.Name;
        public string SignalKey => $"{Scope}/{Queue.Name}";
        public string Arn => SqsProvider.Arn(Scope, Queue.Name);
    }

    internal static string Arn(Scope scope, string name) => $"arn:aws:sqs:{scope.Region}:{scope.AccountId}:{name}";

    /// <summary>AWS's URL shape, on the port the client reached us at, so the URL works when handed back.</summary>
    private static string QueueUrl(RequestContext ctx, Scope scope, string name)
    {
        var host = ctx.Request.Host;
        var colon = host.LastIndexOf(':');
        var port = colon > 0 && !host.EndsWith(']') ? host[colon..] : "";
        return $"http://sqs.{scope.Region}.localhost.localstack.cloud{port}/{scope.AccountId}/{name}";
    }

    /// <summary>
    /// The queue a request names: its QueueUrl member (AWS-style host or path-style), or for old query clients the
    /// request path itself. The URL's account wins over the caller's, which is how cross-account access works.
    /// </summary>
    private QueueRef ResolveQueue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var url = input.GetString("QueueUrl");
        if (string.IsNullOrEmpty(url))
        {
            if (ctx.Request.Path.Count(c => c == '/') != 2) throw SqsErrors.MissingParameter("QueueUrl");
            url = ctx.Request.Path;
        }
        var (scope, name) = ParseQueueUrl(ctx, url);
        var queue = CachedQueue(scope, name) ?? throw SqsErrors.QueueDoesNotExist();
        return new QueueRef(scope, queue);
    }

    private static (Scope Scope, string Name) ParseQueueUrl(RequestContext ctx, string url)
    {
        var region = ctx.Region;
        var path = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            path = uri.AbsolutePath;
            // sqs.<region>.localhost.localstack.cloud and <region>.queue.amazonaws.com name their region.
            var labels = uri.Host.Split('.');
            if (labels.Length > 2 && labels[0] == "sqs") region = labels[1];
            else if (labels.Length > 2 && labels[1] == "queue") region = labels[0];
        }
        var parts = path.Trim('/').Split('/');
        if (parts.Length != 2 || parts[1].Length == 0) throw SqsErrors.QueueDoesNotExist();
        var account = parts[0].Length == 12 && parts[0].All(char.IsAsciiDigit) ? parts[0] : ctx.AccountId;
        return (new Scope(account, region), Uri.UnescapeDataString(parts[1]));
    }

    /// <summary>AWS refuses a redrive policy whose dead-letter queue does not exist or whose RedriveAllowPolicy excludes the source.</summary>
    private void EnsureDeadLetterTargetAllows(Dictionary<string, string> attributes, string sourceArn)
    {
        if (attributes.GetValueOrDefault("RedrivePolicy") is not { Length: > 0 } policy) return;
        var arn = QueueAttributes.RedriveTarget(new QueueRecord { Name = "", Attributes = attributes })!.Value.Arn;
        var target = QueueAt(arn)
            ?? throw SqsErrors.InvalidParameterValue($"Value {policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.");
        if (!QueueAttributes.AllowsSource(target.Queue, sourceArn))
            throw SqsErrors.InvalidParameterValue(
                $"Value {policy} for parameter RedrivePolicy is invalid. Reason: Queue {arn} does not allow {sourceArn} to use it as a dead-letter queue (RedriveAllowPolicy).");
    }

    /// <summary>The queue an ARN names, or null when it does not exist.</summary>
    private QueueRef? QueueAt(string arn)
    {
        var parts = arn.Split(':');
        if (parts.Length != 6 || parts[2] != "sqs") return null;
        var scope = new Scope(parts[4], parts[3]);
        return CachedQueue(scope, parts[5]) is { } queue ? new QueueRef(scope, queue) : null;
    }

    /// <summary>
    /// A queue's record as every message operation reads it, from memory while the queues table is unchanged; shared,
    /// so never modified (attribute changes re-read the row inside their transaction).
    /// </summary>
    private QueueRecord? CachedQueue(Scope scope, string name) =>
        _queueCache.Get((scope, name), k => _queues.Get(k.Item1, k.Item2, SqsJsonContext.Default.QueueRecord));

    private void SaveQueue(QueueRef queue) => _queues.Put(queue.Scope, queue.Name, queue.Queue, SqsJsonContext.Default.QueueRecord);

    private static long Millis(RequestContext ctx) => ctx.Now.ToUnixTimeMilliseconds();
}
