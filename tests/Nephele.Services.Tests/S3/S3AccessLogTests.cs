using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.S3;

/// <summary>Access log records are flushed every few seconds, at shutdown and when the clock is advanced (which these tests do).</summary>
public sealed class S3AccessLogTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);

    private async Task<string> LogsOf(string target, string prefix)
    {
        await nephele.AdvanceClock("PT1M");
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, Prefix = prefix });
        var text = new System.Text.StringBuilder();
        foreach (var o in listed.S3Objects ?? []) text.Append(await _s3.ReadAsync(target, o.Key));
        return text.ToString();
    }

    [Fact]
    public async Task Requests_to_a_logged_bucket_are_written_to_the_target_in_AWS_format()
    {
        var source = await _s3.NewBucketAsync();
        var target = await _s3.NewBucketAsync();
        await _s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = source,
            LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = target, TargetPrefix = "logs/" },
        });
        await _s3.PutTextAsync(source, "hello.txt", "hello");
        await _s3.ReadAsync(source, "hello.txt");
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(source, "missing"));

        var logs = await LogsOf(target, "logs/");
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var put = Assert.Single(lines, l => l.Contains(" REST.PUT.OBJECT hello.txt ", StringComparison.Ordinal));
        Assert.Contains($" {source} [", put, StringComparison.Ordinal);
        Assert.Contains($"\"PUT /{source}/hello.txt", put, StringComparison.Ordinal);
        Assert.Contains(" 200 - ", put, StringComparison.Ordinal);
        var get = Assert.Single(lines, l => l.Contains(" REST.GET.OBJECT hello.txt ", StringComparison.Ordinal));
        Assert.Contains(" 200 - 5 5 ", get, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(" REST.GET.OBJECT missing ", StringComparison.Ordinal) && l.Contains(" 404 NoSuchKey ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains(" SigV4 - AuthHeader ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partitioned_prefixes_put_logs_under_account_region_bucket_and_date()
    {
        var source = await _s3.NewBucketAsync();
        var target = await _s3.NewBucketAsync();
        await _s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = source,
            LoggingConfig = new S3BucketLoggingConfig
            {
                TargetBucketName = target,
                TargetPrefix = "p/",
                TargetObjectKeyFormat = new TargetObjectKeyFormat
                {
                    PartitionedPrefix = new PartitionedPrefix { PartitionDateSource = PartitionDateSource.EventTime },
                },
            },
        });
        await _s3.PutTextAsync(source, "k", "v");
        await nephele.AdvanceClock("PT1M");
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target });
        var key = Assert.Single(listed.S3Objects).Key;
        Assert.StartsWith($"p/000000000000/us-east-1/{source}/", key, StringComparison.Ordinal);
        Assert.Matches(@"/\d{4}/\d{2}/\d{2}/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$", key);
    }
}
