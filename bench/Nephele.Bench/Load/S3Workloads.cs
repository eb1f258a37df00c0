using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>The AWS SDK for .NET S3 client (path style) on one endpoint, with a fresh bucket of its own.</summary>
internal abstract class S3Workload : ILoadWorkload
{
    protected const int ObjectSize = 1024;
    protected static readonly byte[] Payload = new byte[ObjectSize];
    protected AmazonS3Client Client { get; }
    protected string Bucket { get; } = $"nephele-bench-{Guid.NewGuid():N}"[..40];

    protected S3Workload(Uri endpoint)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        Client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
    }

    public virtual async Task CheckAsync(CancellationToken ct)
    {
        await Client.PutBucketAsync(Bucket, ct);
        await PutAsync("check", ct);
    }

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public abstract Task<int> SendAsync(CancellationToken ct);

    protected async Task PutAsync(string key, CancellationToken ct)
    {
        var response = await Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(Payload) }, ct);
        if (string.IsNullOrEmpty(response.ETag)) throw new BenchException($"PutObject {Bucket}/{key} answered without an ETag.");
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>`s3-put`: PutObject of 1 KiB to one of 1,000 keys (overwrites, as a cache or state file would).</summary>
internal sealed class S3PutWorkload(Uri endpoint) : S3Workload(endpoint)
{
    private long _next;

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await PutAsync("k" + (Interlocked.Increment(ref _next) % 1000), ct);
        return 1;
    }
}

/// <summary>`s3-get`: GetObject of one 1 KiB object, body read to the end.</summary>
internal sealed class S3GetWorkload(Uri endpoint) : S3Workload(endpoint)
{
    private readonly byte[] _sink = new byte[ObjectSize * 2];

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        using var response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "check" }, ct);
        var total = 0;
        int n;
        while ((n = await response.ResponseStream.ReadAsync(_sink, ct)) > 0) total += n;
        if (total != ObjectSize) throw new BenchException($"GetObject returned {total} bytes, expected {ObjectSize}.");
        return 1;
    }
}
