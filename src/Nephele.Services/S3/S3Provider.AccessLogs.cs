using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Server access logging: every request to a bucket with logging enabled becomes one record in AWS's log format.
/// Records are batched in memory and written as objects into the target bucket every few seconds of real time,
/// whenever Nephele's clock is advanced (with the lifecycle sweep), and at shutdown — like S3, delivery is best effort.
/// </summary>
public sealed partial class S3Provider
{
    private static readonly TimeSpan AccessLogFlushPeriod = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<AccessLogLine> _accessLogs = new();
    private readonly SemaphoreSlim _accessLogFlush = new(1, 1);
    private ITimer? _accessLogTimer;

    /// <summary>Wraps every operation (last, so the record covers the whole handling).</summary>
    private void RegisterAccessLogs(OperationRegistry operations)
    {
        foreach (var name in operations.Operations.ToList())
        {
            var inner = operations.Find(name)!;
            operations.On(name, async (ctx, input) =>
            {
                if (input.GetString("Bucket") is not { } bucketName || AccessLogTargetOf(bucketName) is not { } target) return await inner(ctx, input);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var output = await inner(ctx, input);
                    LogAccess(ctx, name, bucketName, target, input, output, null, started);
                    return output;
                }
                catch (AwsException e)
                {
                    LogAccess(ctx, name, bucketName, target, input, null, e, started);
                    throw;
                }
            });
        }
        _accessLogTimer = TimeProvider.System.CreateTimer(static s => _ = ((S3Provider)s!).FlushAccessLogsAsync(), this, AccessLogFlushPeriod, AccessLogFlushPeriod);
    }

    private AccessLogTarget? AccessLogTargetOf(string bucket)
    {
        try
        {
            return S3AccessLog.TargetOf(LoggingTarget(bucket));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private void LogAccess(RequestContext ctx, string operation, string bucketName, AccessLogTarget target, Dictionary<string, object?> input,
        Dictionary<string, object?>? output, AwsException? error, long started)
    {
        try
        {
            if (_buckets.Get(bucketName) is not { } bucket) return;
            var request = ctx.Request;
            var uri = request.Path + (request.QueryString.Length > 0 ? (request.QueryString.StartsWith('?') ? "" : "?") + request.QueryString : "");
            var status = error?.HttpStatus ?? ctx.ResponseStatus ?? (operation is "DeleteObject" or "DeleteBucket" ? 204 : 200);
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var sent = output?.GetValueOrDefault("Body") is not null ? output.GetLong("ContentLength") : null;
            var size = operation is "GetObject" or "HeadObject" ? output?.GetLong("ContentLength") : input.GetLong("ContentLength");
            var authorization = request.Headers.Get("Authorization");
            var presigned = request.Query.Get("X-Amz-Signature") is not null;
            var line = S3AccessLog.Format(
                S3Owner.CanonicalId(bucket.Owner),
                bucket.Name,
                S3AccessLog.Time(ctx.Now),
                request.SourceIp,
                ctx.Caller.Arn,
                S3RequestId(ctx.RequestId),
                S3AccessLog.Operation(operation, request.Method),
                input.GetString("Key") is { } key ? Uri.EscapeDataString(key) : null,
                S3AccessLog.Quoted($"{request.Method} {uri} HTTP/1.1"),
                status.ToString(CultureInfo.InvariantCulture),
                error?.Code,
                sent is > 0 ? sent.Value.ToString(CultureInfo.InvariantCulture) : null,
                size?.ToString(CultureInfo.InvariantCulture),
                elapsed.ToString(CultureInfo.InvariantCulture),
                elapsed.ToString(CultureInfo.InvariantCulture),
                S3AccessLog.Quoted(request.Headers.Get("Referer")),
                S3AccessLog.Quoted(request.Headers.Get("User-Agent")),
                output?.GetString("VersionId") ?? input.GetString("VersionId"),
                NewHostId(),
                authorization is not null || presigned ? "SigV4" : null,
                null,
                authorization is not null ? "AuthHeader" : presigned ? "QueryString" : null,
                request.Host,
                null,
                null,
                null);
            _accessLogs.Enqueue(new AccessLogLine(bucket.Name, bucket.Owner, bucket.Region, target, line));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotificationFailed(_log, "access log of " + operation, e);
        }
    }

    /// <summary>Writes what has queued up as one object per target bucket and prefix; passes never overlap.</summary>
    private async Task FlushAccessLogsAsync()
    {
        if (_accessLogs.IsEmpty) return;
        await _accessLogFlush.WaitAsync();
        try
        {
            var lines = new List<AccessLogLine>();
            while (_accessLogs.TryDequeue(out var line)) lines.Add(line);
            // Partitioned keys name the source bucket, so each source gets its own object there.
            foreach (var batch in lines.GroupBy(l => (l.Target, l.Target.Partitioned ? l.SourceBucket : "")))
                await WriteAccessLogAsync(batch.ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotificationFailed(_log, "access log delivery", e);
        }
        finally
        {
            _accessLogFlush.Release();
        }
    }

    private async Task WriteAccessLogAsync(List<AccessLogLine> lines)
    {
        var target = lines[0].Target;
        if (_buckets.Get(target.Bucket) is not { } bucket) return;
        var now = env.Clock.GetUtcNow();
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l.Line)));
        var body = await ObjectBody.StoreAsync(_objects.Blobs, new MemoryStream(bytes), "CRC64NVME", CancellationToken.None);
        try
        {
            CommitObject(bucket.Name, new ObjectRecord
            {
                Key = S3AccessLog.ObjectKey(lines[0], now),
                LastModified = now,
                Owner = bucket.Owner,
                Size = body.Size,
                ETag = $"\"{body.Md5Hex}\"",
                ContentType = "text/plain",
                Inline = body.Inline,
                Blobs = body.Blobs,
                ChecksumAlgorithm = body.ChecksumAlgorithm,
                ChecksumValue = body.ChecksumValue,
                ChecksumType = "FULL_OBJECT",
                ServerSideEncryption = "AES256",
            });
        }
        catch
        {
            _objects.DeleteBlobs(body.Blobs?.Select(b => b.BlobId) ?? []);
            throw;
        }
    }

    private void DisposeAccessLogs()
    {
        _accessLogTimer?.Dispose();
        FlushAccessLogsAsync().GetAwaiter().GetResult();
    }
}
