using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// `s3-list`: fills a bucket with 100,000 keys (--keys) through 32 concurrent PutObject calls, spread over 100
/// "directories" (d000/ ... d099/), then times ListObjectsV2 pages of 1,000: the whole bucket page by page, one prefix
/// (d042/), and the bucket with delimiter "/" (100 common prefixes); p50 and p99 of the page latencies.
/// </summary>
internal sealed class S3ListWorkload : IScenarioWorkload
{
    private const int Directories = 100;
    private const int FillConcurrency = 32;
    private readonly AmazonS3Client _client;
    private readonly string _bucket = $"nephele-bench-{Guid.NewGuid():N}"[..40];

    public S3ListWorkload(Uri endpoint)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
    }

    public bool NeedsDataDir => false;

    public async Task CheckAsync(CancellationToken ct) => await _client.PutBucketAsync(_bucket, ct);

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public Task<int> SendAsync(CancellationToken ct) => throw new NotSupportedException("s3-list runs as a scenario.");

    public async Task<IReadOnlyList<(string Name, string Value)>> RunAsync(BenchArgs args, int? serverPid, CancellationToken ct)
    {
        var keys = args.GetInt("--keys", 100_000, Directories, 1_000_000);
        var passes = args.GetInt("--passes", 3, 1, 20);
        var fill = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, FillConcurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < keys)
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = KeyOf(i), ContentBody = "x" }, ct);
        }, ct)));
        fill.Stop();

        var whole = new List<double>();
        var prefixed = new List<double>();
        var delimited = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            var count = await WalkAsync(new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1000 }, whole, ct);
            if (count != keys) throw new BenchException($"ListObjectsV2 walked {count} keys, expected {keys}.");
            await WalkAsync(new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1000, Prefix = "d042/" }, prefixed, ct);
            await WalkAsync(new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1000, Delimiter = "/" }, delimited, ct);
        }

        return
        [
            ("keys", keys.ToString(CultureInfo.InvariantCulture)),
            ("fill PUT/s", (keys / fill.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)),
            ("all pages p50/p99 ms", Latency(whole)),
            ("prefix d042/ p50/p99 ms", Latency(prefixed)),
            ("delimiter / p50/p99 ms", Latency(delimited)),
        ];
    }

    /// <summary>Keys spread over the directories so that a prefix holds keys/100 of them.</summary>
    private static string KeyOf(int i) =>
        $"d{i % Directories:D3}/object-{i:D7}";

    /// <summary>Lists every page of the request, timing each; returns how many keys and prefixes it saw.</summary>
    private async Task<int> WalkAsync(ListObjectsV2Request request, List<double> latencies, CancellationToken ct)
    {
        var seen = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await _client.ListObjectsV2Async(request, ct);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            seen += (page.S3Objects?.Count ?? 0) + (page.CommonPrefixes?.Count ?? 0);
            if (page.IsTruncated != true) return seen;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static string Latency(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return $"{Reporting.Stats.Percentile(sorted, 50):0.0} / {Reporting.Stats.Percentile(sorted, 99):0.0}";
    }

    public void Dispose() => _client.Dispose();
}
