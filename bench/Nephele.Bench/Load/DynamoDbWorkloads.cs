using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// The AWS SDK for .NET DynamoDB client on one endpoint, with a fresh PAY_PER_REQUEST table of its own
/// (partition key pk) and items of about 200 bytes, as the target names.
/// </summary>
internal abstract class DynamoDbWorkload : ILoadWorkload
{
    protected const int Keys = 10_000;
    private static readonly string Payload = new('v', 180);
    protected AmazonDynamoDBClient Client { get; }
    protected string Table { get; } = $"nephele-bench-{Guid.NewGuid():N}";
    private long _next;

    protected DynamoDbWorkload(Uri endpoint)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
    }

    public virtual async Task CheckAsync(CancellationToken ct)
    {
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        }, ct);
        // Peers such as dynalite create tables asynchronously.
        for (var i = 0; i < 100; i++)
        {
            if ((await Client.DescribeTableAsync(Table, ct)).Table.TableStatus == TableStatus.ACTIVE) break;
            await Task.Delay(100, ct);
        }
        await PutAsync(0, ct);
    }

    public virtual Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public abstract Task<int> SendAsync(CancellationToken ct);

    protected long NextKey() => Interlocked.Increment(ref _next) % Keys;

    protected async Task PutAsync(long key, CancellationToken ct) =>
        await Client.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["pk"] = new AttributeValue { S = $"key-{key:D6}" },
                ["payload"] = new AttributeValue { S = Payload },
            },
        }, ct);

    public void Dispose() => Client.Dispose();
}

/// <summary>`ddb-put`: PutItem of a 200-byte item, keys cycling over 10,000.</summary>
internal sealed class DynamoDbPutWorkload(Uri endpoint) : DynamoDbWorkload(endpoint)
{
    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await PutAsync(NextKey(), ct);
        return 1;
    }
}

/// <summary>`ddb-get`: GetItem of a 200-byte item; the 10,000 keys are written once before the first window (untimed).</summary>
internal sealed class DynamoDbGetWorkload(Uri endpoint) : DynamoDbWorkload(endpoint)
{
    private bool _filled;

    public override async Task PrepareAsync(TimeSpan window, CancellationToken ct)
    {
        if (_filled) return;
        _filled = true;
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var key = Interlocked.Increment(ref next); key < Keys; key = Interlocked.Increment(ref next))
                await PutAsync(key, ct);
        }));
    }

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        var response = await Client.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new AttributeValue { S = $"key-{NextKey():D6}" } },
        }, ct);
        if (response.Item is not { Count: > 0 }) throw new BenchException("GetItem found no item.");
        return 1;
    }
}
