using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Event notifications: after an object operation has committed, the bucket's notification configuration is read
/// and every matching queue, topic and function gets AWS's event record through the event bus (SQS and SNS store it
/// durably before returning; Lambda queues an asynchronous invocation). The hooks wrap the registered handlers, so
/// the object operations themselves know nothing of notifications.
/// </summary>
public sealed partial class S3Provider
{
    private readonly ILogger _log = env.Logging.CreateLogger("Nephele.S3");

    private void RegisterNotifications(OperationRegistry operations)
    {
        After(operations, "PutObject", (ctx, input, output) => NotifyWritten(ctx, input, "ObjectCreated:Put", output.GetString("VersionId")));
        After(operations, "CopyObject", (ctx, input, output) => NotifyWritten(ctx, input, "ObjectCreated:Copy", output.GetString("VersionId")));
        After(operations, "CompleteMultipartUpload",
            (ctx, input, output) => NotifyWritten(ctx, input, "ObjectCreated:CompleteMultipartUpload", output.GetString("VersionId")));
        After(operations, "PutObjectTagging", (ctx, input, output) => NotifyWritten(ctx, input, "ObjectTagging:Put", output.GetString("VersionId")));
        After(operations, "DeleteObjectTagging", (ctx, input, output) => NotifyWritten(ctx, input, "ObjectTagging:Delete", output.GetString("VersionId")));
        After(operations, "PutObjectAcl", (ctx, input, output) => NotifyWritten(ctx, input, "ObjectAcl:Put", output.GetString("VersionId")));
        After(operations, "DeleteObject", (ctx, input, output) =>
            NotifyRemoved(ctx, input.GetString("Bucket")!, input.GetString("Key")!, input.GetString("VersionId"), output.GetBool("DeleteMarker") == true,
                output.GetString("VersionId")));
        WrapDeleteObjects(operations);
    }

    /// <summary>Runs <paramref name="after"/> once the handler has answered successfully; a failing notification never fails the request.</summary>
    private void After(OperationRegistry operations, string name, Action<RequestContext, Dictionary<string, object?>, Dictionary<string, object?>> after)
    {
        if (operations.Find(name) is not { } inner) return;
        operations.On(name, async (ctx, input) =>
        {
            var output = await inner(ctx, input);
            try
            {
                after(ctx, input, output);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotificationFailed(_log, name, e);
            }
            return output;
        });
    }

    /// <summary>DeleteObjects in quiet mode answers no Deleted entries, but each deletion still notifies: the handler runs verbose and the wrapper quiets it.</summary>
    private void WrapDeleteObjects(OperationRegistry operations)
    {
        if (operations.Find("DeleteObjects") is not { } inner) return;
        operations.On("DeleteObjects", async (ctx, input) =>
        {
            var delete = input.GetStruct("Delete");
            var quiet = delete?.GetBool("Quiet") == true;
            var verbose = input;
            if (quiet)
                verbose = new(input, StringComparer.Ordinal) { ["Delete"] = new Dictionary<string, object?>(delete!, StringComparer.Ordinal) { ["Quiet"] = false } };
            var output = await inner(ctx, verbose);
            var deleted = output.GetList("Deleted")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
            try
            {
                var bucket = input.GetString("Bucket")!;
                foreach (var entry in deleted)
                    NotifyRemoved(ctx, bucket, entry.GetString("Key")!, entry.GetString("VersionId"), entry.GetBool("DeleteMarker") == true,
                        entry.GetString("DeleteMarkerVersionId") ?? entry.GetString("VersionId"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotificationFailed(_log, "DeleteObjects", e);
            }
            if (quiet) output["Deleted"] = new List<object?>();
            return output;
        });
    }

    /// <summary>An object (version) was created or changed: its record gives size and ETag.</summary>
    private void NotifyWritten(RequestContext ctx, Dictionary<string, object?> input, string eventName, string? versionId)
    {
        var bucketName = input.GetString("Bucket");
        var key = input.GetString("Key");
        if (bucketName is null || key is null || _configs.Get(bucketName, NotificationConfigName) is not { } document) return;
        if (_buckets.Get(bucketName) is not { } bucket) return;
        var obj = versionId is not null && bucket.Versioning is not null ? _objects.Version(bucketName, key, versionId) : _objects.Current(bucketName, key);
        if (obj is null) return;
        Notify(bucket, document, RequestEvent(ctx, eventName, key, obj.Size, obj.ETag, obj.VersionId));
    }

    private void NotifyRemoved(RequestContext ctx, string bucketName, string key, string? requestedVersion, bool deleteMarker, string? versionId)
    {
        if (_configs.Get(bucketName, NotificationConfigName) is not { } document || _buckets.Get(bucketName) is not { } bucket) return;
        // Deleting without a version id in a versioned bucket creates a delete marker; anything else removes something.
        var created = requestedVersion is null && deleteMarker;
        Notify(bucket, document, RequestEvent(ctx, created ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", key, null, null,
            bucket.Versioning is null ? null : versionId));
    }

    private static S3Event RequestEvent(RequestContext ctx, string name, string key, long? size, string? etag, string? versionId) =>
        new(name, key, size, etag, versionId, ctx.Now, S3Notifications.RequesterPrincipal(ctx.Caller), ctx.Request.SourceIp ?? "127.0.0.1",
            S3RequestId(ctx.RequestId), NewHostId());

    /// <summary>An event S3 itself causes (lifecycle): S3 is the principal and the source.</summary>
    private S3Event ServiceEvent(string name, string key, long? size, string? etag, string? versionId) =>
        new(name, key, size, etag, versionId, env.Clock.GetUtcNow(), "s3.amazonaws.com", "s3.amazonaws.com",
            S3RequestId(Guid.NewGuid().ToString()), NewHostId());

    /// <summary>Delivers <paramref name="e"/> to every configuration of <paramref name="document"/> that wants it.</summary>
    private void Notify(BucketRecord bucket, Dictionary<string, object?> document, S3Event e)
    {
        string? sequencer = null;
        foreach (var (id, arn) in S3Notifications.Matching(document, e))
        {
            sequencer ??= S3Notifications.NextSequencer(e.Time);
            var delivery = new Delivery { TargetArn = arn, Body = S3Notifications.EventJson(e, bucket, id, sequencer), SourceArn = "arn:aws:s3:::" + bucket.Name };
            var result = env.Events.Deliver(delivery);
            // No service handles this kind of destination yet (Lambda before it exists): nothing could run it.
            if (result is null) LogNoDestination(_log, bucket.Name, arn);
            else if (!result.Value.Succeeded) LogDeliveryFailed(_log, bucket.Name, arn, result.Value.Reason ?? result.Value.Outcome.ToString());
        }
    }

    /// <summary>
    /// What PutBucketNotificationConfiguration checks before storing: every SQS and SNS destination must exist, which S3
    /// verifies by sending it the s3:TestEvent. Destinations no service handles yet cannot be checked and are accepted;
    /// Lambda functions get no test event (S3 checks their permissions instead, which Nephele does not enforce).
    /// </summary>
    private void ValidateDestinations(RequestContext ctx, BucketRecord bucket, Dictionary<string, object?> document)
    {
        var failures = new List<(string Arn, string Reason)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var requestId = S3RequestId(ctx.RequestId);
        foreach (var (list, arnMember) in S3Notifications.Destinations)
        {
            foreach (var config in document.GetList(list)?.OfType<Dictionary<string, object?>>() ?? [])
            {
                if (config.GetString(arnMember) is not { } arn || !seen.Add(arn)) continue;
                if (env.Events.TargetFor(arn) is not { } target) continue;
                if (arnMember == "LambdaFunctionArn") continue;
                var result = target.Deliver(new Delivery
                {
                    TargetArn = arn,
                    Body = S3Notifications.TestEventJson(bucket.Name, ctx.Now, requestId, NewHostId()),
                    SourceArn = "arn:aws:s3:::" + bucket.Name,
                });
                if (result.Outcome == DeliveryOutcome.TargetNotFound)
                    failures.Add((arn, arnMember == "QueueArn" ? "The destination queue does not exist" : "The destination topic does not exist"));
                else if (!result.Succeeded)
                    failures.Add((arn, arnMember == "QueueArn"
                        ? "Permissions on the destination queue do not allow S3 to publish notifications from this bucket"
                        : "Permissions on the destination topic do not allow S3 to publish notifications from this bucket"));
            }
        }
        if (failures.Count == 0) return;
        var error = new AwsException("InvalidArgument", "Unable to validate the following destination configurations", 400);
        for (var i = 0; i < failures.Count; i++)
        {
            error.Fields[$"ArgumentName{i + 1}"] = failures[i].Arn;
            error.Fields[$"ArgumentValue{i + 1}"] = failures[i].Reason;
        }
        throw error;
    }

    /// <summary>S3's x-amz-request-id: 16 upper-case hex digits of the request id (as the gateway stamps it).</summary>
    private static string S3RequestId(string requestId) => requestId.Replace("-", "", StringComparison.Ordinal)[..16].ToUpperInvariant();

    private static string NewHostId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 notification for {Operation} failed")]
    private static partial void LogNotificationFailed(ILogger logger, string operation, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "S3 bucket {Bucket}: no service delivers to {Destination} yet; the event is dropped")]
    private static partial void LogNoDestination(ILogger logger, string bucket, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 bucket {Bucket}: the event for {Destination} was not delivered: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string bucket, string destination, string reason);
}
