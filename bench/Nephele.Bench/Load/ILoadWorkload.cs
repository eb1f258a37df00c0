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
    public const string KmsEncrypt = "kms-encrypt";
    public const string KmsDecrypt = "kms-decrypt";
    public const string SnsPublish = "sns-publish";
    public const string LambdaInvoke = "lambda-invoke";
    public const string LambdaCold = "lambda-cold";
    public const string LambdaBurst = "lambda-burst";
    public const string S3Put = "s3-put";
    public const string S3Get = "s3-get";
    public const string S3Large = "s3-large";
    public const string S3List = "s3-list";
    public const string DdbPut = "ddb-put";
    public const string DdbGet = "ddb-get";
    public const string SsmGet = "ssm-get";
    public const string SecretsGet = "secrets-get";
    public static readonly string[] All = [Sts, SqsSend, SqsReceive, KmsEncrypt, KmsDecrypt, SnsPublish, LambdaInvoke, LambdaCold, LambdaBurst, S3Put, S3Get, S3Large, S3List, DdbPut, DdbGet, DdbQuery, SsmGet, SecretsGet];
    public const string DdbQuery = "ddb-query";

    /// <summary>Whether a step moves several messages (SQS), so messages per second are worth a column.</summary>
    public static bool CountsMessages(string name) => name is SqsSend or SqsReceive or LambdaBurst;

    /// <summary>Workloads run once per target as a script (<see cref="IScenarioWorkload"/>), not as closed-loop windows.</summary>
    public static bool IsScenario(string name) => name is S3Large or S3List;

    /// <summary>Workloads whose Nephele keeps its state on disk rather than --ephemeral.</summary>
    public static bool NeedsDataDir(string name) => name is S3Large;

    public static string Describe(string name) => name switch
    {
        SqsSend => "SQS SendMessageBatch (10 messages of 32 bytes per request)",
        SqsReceive => "SQS ReceiveMessage (MaxNumberOfMessages 10) + DeleteMessageBatch per request, queue pre-filled",
        KmsEncrypt => "KMS Encrypt of 4 KiB under a symmetric key",
        KmsDecrypt => "KMS Decrypt of a 4 KiB ciphertext",
        SnsPublish => "SNS Publish (32 bytes) to a topic with 10 SQS subscribers (signed envelope), one publish per request",
        LambdaInvoke => "Lambda Invoke (RequestResponse) of a warm trivial Node.js function",
        LambdaCold => "Lambda CreateFunction + first Invoke (cold start) + DeleteFunction of a trivial Node.js function",
        LambdaBurst => "Lambda: 100 concurrent Invokes of a Node.js function that sleeps 100 ms (one step = the whole burst)",
        S3Put => "S3 PutObject of 1 KiB (1,000 keys, overwritten)",
        S3Get => "S3 GetObject of a 1 KiB object",
        S3Large => "S3 PutObject then GetObject of one 1 GiB object (--size-mib), streamed; server on disk",
        S3List => "S3 ListObjectsV2 pages of 1,000 over a bucket of 100,000 keys (--keys): all, one prefix, delimiter /",
        DdbPut => "DynamoDB PutItem of a 200-byte item (10,000 keys)",
        DdbGet => "DynamoDB GetItem of a 200-byte item (10,000 keys, pre-filled)",
        SsmGet => "SSM GetParameter of a 100-byte String parameter",
        SecretsGet => "Secrets Manager GetSecretValue of a 100-byte secret (KMS-encrypted at rest)",
        DdbQuery => $"DynamoDB Query returning 100 items of 200 bytes from a table of {DynamoDbQueryWorkload.Items:N0} items (pre-filled by BatchWriteItem)",
        _ => "STS GetCallerIdentity",
    };

    public static ILoadWorkload Create(string name, Uri endpoint) => name switch
    {
        SqsSend => new SqsSendWorkload(endpoint),
        SqsReceive => new SqsReceiveWorkload(endpoint),
        KmsEncrypt => new KmsEncryptWorkload(endpoint),
        KmsDecrypt => new KmsDecryptWorkload(endpoint),
        SnsPublish => new SnsPublishWorkload(endpoint),
        LambdaInvoke => new LambdaInvokeWorkload(endpoint),
        LambdaCold => new LambdaColdWorkload(endpoint),
        LambdaBurst => new LambdaBurstWorkload(endpoint),
        S3Put => new S3PutWorkload(endpoint),
        S3Get => new S3GetWorkload(endpoint),
        S3Large => new S3LargeWorkload(endpoint),
        S3List => new S3ListWorkload(endpoint),
        DdbPut => new DynamoDbPutWorkload(endpoint),
        DdbGet => new DynamoDbGetWorkload(endpoint),
        SsmGet => new SsmGetWorkload(endpoint),
        SecretsGet => new SecretsGetWorkload(endpoint),
        DdbQuery => new DynamoDbQueryWorkload(endpoint),
        _ => new StsCaller(endpoint),
    };
}
