namespace Nephele.Bench.Load;

/// <summary>
/// What `load` sends to one target. One "request" is one closed-loop step of a worker (for
/// sqs-receive, a ReceiveMessage and its DeleteMessageBatch); it returns how many messages it moved.
/// </summary>
internal interface ILoadWorkload : IDisposable
{
    /// <summary>One call that must succeed before the target is loaded (and any setup, e.g. a fresh queue).</summary>
    Task CheckAsync(CancellationToken ct);

    /// <summary>Untimed work before a window of <paramref name="window"/> (e.g. filling the queue).</summary>
    Task PrepareAsync(TimeSpan window, CancellationToken ct);

    /// <summary>Called after each window with what it measured.</summary>
    void Observe(LoadResult result);

    /// <summary>One step; returns the messages it handled (1 for STS).</summary>
    Task<int> SendAsync(CancellationToken ct);
}

internal static class Workloads
{
    public const string Sts = "sts";
    public const string SqsSend = "sqs-send";
    public const string SqsReceive = "sqs-receive";
    public const string DdbPut = "ddb-put";
    public const string DdbGet = "ddb-get";
    public static readonly string[] All = [Sts, SqsSend, SqsReceive, DdbPut, DdbGet];

    public static string Describe(string name) => name switch
    {
        SqsSend => "SQS SendMessageBatch (10 messages of 32 bytes per request)",
        SqsReceive => "SQS ReceiveMessage (MaxNumberOfMessages 10) + DeleteMessageBatch per request, queue pre-filled",
        DdbPut => "DynamoDB PutItem of a 200-byte item (10,000 keys)",
        DdbGet => "DynamoDB GetItem of a 200-byte item (10,000 keys, pre-filled)",
        _ => "STS GetCallerIdentity",
    };

    public static ILoadWorkload Create(string name, Uri endpoint) => name switch
    {
        SqsSend => new SqsSendWorkload(endpoint),
        SqsReceive => new SqsReceiveWorkload(endpoint),
        DdbPut => new DynamoDbPutWorkload(endpoint),
        DdbGet => new DynamoDbGetWorkload(endpoint),
        _ => new StsCaller(endpoint),
    };
}
