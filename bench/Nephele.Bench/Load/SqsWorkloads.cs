using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>The AWS SDK for .NET SQS client (JSON protocol) on one endpoint, with a fresh queue of its own.</summary>
internal abstract class SqsWorkload : ILoadWorkload
{
    protected const int Batch = 10;
    private static readonly string Body = new('m', 32);
    protected AmazonSQSClient Client { get; }
    protected string QueueUrl { get; private set; } = "";

    protected SqsWorkload(Uri endpoint)
    {
        var config = new AmazonSQSConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        Client = new AmazonSQSClient(new BasicAWSCredentials("test", "test"), config);
    }

    public virtual async Task CheckAsync(CancellationToken ct)
    {
        var name = $"nephele-bench-{Guid.NewGuid():N}";
        QueueUrl = (await Client.CreateQueueAsync(new CreateQueueRequest { QueueName = name }, ct)).QueueUrl;
        if (await SendBatchAsync(ct) != Batch)
            throw new BenchException($"SendMessageBatch to {QueueUrl} did not accept all {Batch} messages.");
    }

    public virtual Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public virtual void Observe(LoadResult result) { }

    public abstract Task<int> SendAsync(CancellationToken ct);

    /// <summary>One SendMessageBatch of <see cref="Batch"/> small messages; returns how many were accepted.</summary>
    protected async Task<int> SendBatchAsync(CancellationToken ct)
    {
        var entries = new List<SendMessageBatchRequestEntry>(Batch);
        for (var i = 0; i < Batch; i++) entries.Add(new SendMessageBatchRequestEntry { Id = $"m{i}", MessageBody = Body });
        var response = await Client.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = QueueUrl, Entries = entries }, ct);
        if (response.Failed is { Count: > 0 } failed)
            throw new BenchException($"SendMessageBatch: {failed.Count} entries failed, first: {failed[0].Code} {failed[0].Message}");
        return response.Successful?.Count ?? 0;
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>`sqs-send`: SendMessageBatch of 10 messages per request.</summary>
internal sealed class SqsSendWorkload(Uri endpoint) : SqsWorkload(endpoint)
{
    public override Task<int> SendAsync(CancellationToken ct) => SendBatchAsync(ct);
}

/// <summary>
/// `sqs-receive`: ReceiveMessage (up to 10) then DeleteMessageBatch of what came back. Before each
/// window (untimed) the queue is topped up to 1.5x the fastest rate seen so far (at least 1,000, at most
/// 300,000 messages). A window that found the queue empty counts as if every request had moved 10
/// messages (an overestimate: empty receives are cheaper), so the next fill does not run dry.
/// </summary>
internal sealed class SqsReceiveWorkload(Uri endpoint) : SqsWorkload(endpoint)
{
    private const long MinFill = 1_000, MaxFill = 300_000;
    private const int FillWorkers = 8;
    private long _available;
    private long _empty;
    private double _rate;

    public override async Task CheckAsync(CancellationToken ct)
    {
        await base.CheckAsync(ct);
        _available = Batch;
    }

    public override async Task PrepareAsync(TimeSpan window, CancellationToken ct)
    {
        var wanted = Math.Max(MinFill, (long)(_rate * window.TotalSeconds * 1.5));
        wanted = Math.Min(wanted, MaxFill);
        var batches = (wanted - Interlocked.Read(ref _available) + Batch - 1) / Batch;
        if (batches > 0)
        {
            await Task.WhenAll(Enumerable.Range(0, FillWorkers).Select(async _ =>
            {
                while (Interlocked.Decrement(ref batches) >= 0)
                    Interlocked.Add(ref _available, await SendBatchAsync(ct));
            }));
        }
        _empty = 0;
    }

    public override void Observe(LoadResult result)
    {
        var dry = Interlocked.Read(ref _empty) > 0;
        _rate = Math.Max(_rate, dry ? result.RequestsPerSecond * Batch : result.MessagesPerSecond);
        if (dry)
            Console.WriteLine($"  (queue ran dry {_empty} times in that window; the next fill is larger)");
    }

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        var received = await Client.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = Batch, WaitTimeSeconds = 0 }, ct);
        if (received.Messages is not { Count: > 0 } messages)
        {
            Interlocked.Increment(ref _empty);
            return 0;
        }
        var entries = new List<DeleteMessageBatchRequestEntry>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
            entries.Add(new DeleteMessageBatchRequestEntry { Id = $"d{i}", ReceiptHandle = messages[i].ReceiptHandle });
        var deleted = await Client.DeleteMessageBatchAsync(new DeleteMessageBatchRequest { QueueUrl = QueueUrl, Entries = entries }, ct);
        if (deleted.Failed is { Count: > 0 } failed)
            throw new BenchException($"DeleteMessageBatch: {failed.Count} entries failed, first: {failed[0].Code} {failed[0].Message}");
        var count = deleted.Successful?.Count ?? 0;
        Interlocked.Add(ref _available, -count);
        return count;
    }
}
