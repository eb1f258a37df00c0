using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Bench.Cli;
using Nephele.Bench.Processes;

namespace Nephele.Bench.Load;

/// <summary>
/// `s3-large`: PutObject of one large object (1 GiB unless --size-mib), streamed from a generator, never buffered in the
/// client, then GetObject of it read to the end; MB/s each way and the server's peak VmRSS (sampled from /proc) meanwhile.
/// </summary>
internal sealed class S3LargeWorkload : IScenarioWorkload
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket = $"nephele-bench-{Guid.NewGuid():N}"[..40];

    public S3LargeWorkload(Uri endpoint)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(10),
        };
        _client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
    }

    public bool NeedsDataDir => true;

    public async Task CheckAsync(CancellationToken ct) => await _client.PutBucketAsync(_bucket, ct);

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public Task<int> SendAsync(CancellationToken ct) => throw new NotSupportedException("s3-large runs as a scenario.");

    public async Task<IReadOnlyList<(string Name, string Value)>> RunAsync(BenchArgs args, int? serverPid, CancellationToken ct)
    {
        long size = args.GetInt("--size-mib", 1024, 1, 5 * 1024) * 1024L * 1024;
        // --endpoint runs have no process of their own to watch unless --server-pid names it.
        serverPid ??= args.Get("--server-pid") is { } pidText ? int.Parse(pidText, CultureInfo.InvariantCulture) : null;
        using var rss = new PeakRss(serverPid);
        var idle = rss.Current();
        var cpuBefore = ProcFs.CpuSeconds(serverPid);

        var put = Stopwatch.StartNew();
        await using (var body = new GeneratedStream(size))
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "large", InputStream = body, AutoCloseStream = false }, ct);
        put.Stop();
        var putPeak = rss.TakePeak();
        var cpuAfterPut = ProcFs.CpuSeconds(serverPid);

        var get = Stopwatch.StartNew();
        long read = 0;
        using (var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "large" }, ct))
        {
            var buffer = new byte[1024 * 1024];
            int n;
            while ((n = await response.ResponseStream.ReadAsync(buffer, ct)) > 0) read += n;
        }
        get.Stop();
        var getPeak = rss.TakePeak();
        var cpuAfterGet = ProcFs.CpuSeconds(serverPid);
        if (read != size) throw new BenchException($"GetObject returned {read} bytes, expected {size}.");
        await _client.DeleteObjectAsync(_bucket, "large", ct);

        return
        [
            ("object MiB", (size >> 20).ToString(CultureInfo.InvariantCulture)),
            ("PUT MB/s", (size / 1e6 / put.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)),
            ("GET MB/s", (size / 1e6 / get.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)),
            ("RSS idle MB", Mb(idle)),
            ("peak RSS PUT MB", Mb(putPeak)),
            ("peak RSS GET MB", Mb(getPeak)),
            // Server CPU per MB moved does not depend on what else the machine runs, unlike MB/s.
            ("server CPU ms/MB PUT", CpuPerMb(cpuBefore, cpuAfterPut, size)),
            ("server CPU ms/MB GET", CpuPerMb(cpuAfterPut, cpuAfterGet, size)),
        ];
    }

    private static string CpuPerMb(double? before, double? after, long size) =>
        before is { } b && after is { } a ? ((a - b) * 1000 / (size / 1e6)).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Mb(long? kib) => kib is { } k ? (k / 1024.0).ToString("0", CultureInfo.InvariantCulture) : "-";

    public void Dispose() => _client.Dispose();

    /// <summary>Samples the server's VmRSS every 20 ms and keeps the highest value seen since the last <see cref="TakePeak"/>.</summary>
    private sealed class PeakRss : IDisposable
    {
        private readonly int? _pid;
        private readonly Timer? _timer;
        private long _peak;

        public PeakRss(int? pid)
        {
            _pid = pid;
            if (pid is not null) _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        }

        public long? Current() => _pid is { } pid ? ProcFs.RssKib(pid) : null;

        private void Sample()
        {
            var now = ProcFs.RssKib(_pid!.Value);
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        }

        public long? TakePeak()
        {
            if (_pid is null) return null;
            Sample();
            return Interlocked.Exchange(ref _peak, 0);
        }

        public void Dispose() => _timer?.Dispose();
    }

    /// <summary>A seekable stream of <c>length</c> pseudo-random bytes made on the fly (the same bytes on every pass).</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private static readonly byte[] Pattern = MakePattern();
        private long _position;

        private static byte[] MakePattern()
        {
            var bytes = new byte[1024 * 1024 + 7];
            new Random(42).NextBytes(bytes);
            return bytes;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var done = 0; done < n;)
            {
                var at = (int)((_position + done) % Pattern.Length);
                var chunk = Math.Min(n - done, Pattern.Length - at);
                Pattern.AsSpan(at, chunk).CopyTo(buffer[done..]);
                done += chunk;
            }
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => _position = value; }
        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
