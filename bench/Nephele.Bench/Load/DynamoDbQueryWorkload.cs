using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// `ddb-query`: Query returning 100 items of about 200 bytes (pk = :p AND sk BETWEEN :a AND :b) from a table of
/// <see cref="Items"/> items (1,000,000 by default, `--items`) in partitions of 1,000. The table is filled once,
/// untimed, by BatchWriteItem of 25 items from 16 concurrent writers (unprocessed items are sent again).
/// </summary>
internal sealed class DynamoDbQueryWorkload(Uri endpoint) : ILoadWorkload
{
    private const int PartitionSize = 1_000;
    private const int PageItems = 100;
    private const int Writers = 16;
    private static readonly string Payload = new('v', 170);

    /// <summary>How many items the table holds; LoadCommand sets it from --items.</summary>
    public static int Items { get; set; } = 1_000_000;

    private readonly AmazonDynamoDBClient _client = new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
    {
        ServiceURL = endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(30),
    });
    private readonly string _table = $"nephele-bench-query-{Guid.NewGuid():N}";
    private bool _filled;
    private long _next;

    private int Partitions => Math.Max(1, Items / PartitionSize);

    public async Task CheckAsync(CancellationToken ct)
    {
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = _table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.N)],
        }, ct);
        for (var i = 0; i < 100; i++)
        {
            if ((await _client.DescribeTableAsync(_table, ct)).Table.TableStatus == TableStatus.ACTIVE) break;
            await Task.Delay(100, ct);
        }
        await _client.QueryAsync(QueryRequest(0, 0), ct);
    }

    public async Task PrepareAsync(TimeSpan window, CancellationToken ct)
    {
        if (_filled) return;
        _filled = true;
        var started = Stopwatch.GetTimestamp();
        var batches = (Items + 24) / 25;
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            for (var batch = Interlocked.Increment(ref next); batch < batches; batch = Interlocked.Increment(ref next))
                await WriteBatchAsync(batch, ct);
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"{endpoint}: filled {Items:N0} items in {seconds:0.0} s ({Items / seconds:0} items/s)");
    }

    private async Task WriteBatchAsync(long batch, CancellationToken ct)
    {
        var writes = new List<WriteRequest>(25);
        for (var i = batch * 25; i < Math.Min(Items, (batch + 1) * 25); i++)
            writes.Add(new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = Partition(i / PartitionSize % Partitions) },
                ["sk"] = new() { N = (i % PartitionSize + i / (PartitionSize * Partitions) * PartitionSize).ToString() },
                ["payload"] = new() { S = Payload },
            })));
        var pending = new Dictionary<string, List<WriteRequest>> { [_table] = writes };
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt > 50) throw new BenchException("BatchWriteItem kept returning UnprocessedItems.");
            var response = await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, ct);
            pending = response.UnprocessedItems ?? [];
            if (pending.Count > 0) await Task.Delay(10 * attempt, ct);
        }
    }

    public void Observe(LoadResult result) { }

    public async Task<int> SendAsync(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _next);
        var first = (int)(n * 7919 % (PartitionSize - PageItems + 1));
        var response = await _client.QueryAsync(QueryRequest(n % Partitions, first), ct);
        if (response.Count != PageItems) throw new BenchException($"Query returned {response.Count} items, not {PageItems}.");
        return 1;
    }

    private QueryRequest QueryRequest(long partition, int first) => new()
    {
        TableName = _table,
        KeyConditionExpression = "pk = :p AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues = new()
        {
            [":p"] = new() { S = Partition(partition) },
            [":a"] = new() { N = first.ToString() },
            [":b"] = new() { N = (first + PageItems - 1).ToString() },
        },
    };

    private static string Partition(long p) => $"part-{p:D5}";

    public void Dispose() => _client.Dispose();
}
