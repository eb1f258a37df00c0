using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// Event notifications: the transaction that changes an object also records, in S3's durable outbox, AWS's event
/// record for every matching queue, topic and function of the bucket's notification configuration; once the request
/// has answered they are delivered through the event bus (SQS and SNS store them durably; Lambda queues an
/// asynchronous invocation). A destination that is briefly unavailable is retried with back-off on Nephele's clock,
/// and a restart resumes what was recorded but not delivered. The scopes wrap the registered handlers, so the object
/// operations only mark where their changes commit.
/// </summary>
public sealed partial class S3Provider
{
    private readonly ILogger _log = env.Logging.CreateLogger("Nephele.S3");

    /// <summary>S3 retries a destination that is briefly unavailable for a day (on Nephele's clock), then drops the event.</summary>
    private static readonly OutboxRetry NotificationRetry = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));

    private DeliveryOutbox? _outbox;

    /// <summary>The request whose object changes notify, and the events it recorded; set around the handlers that can notify.</summary>
    private static readonly AsyncLocal<NotificationScope?> Notifying = new();

    private sealed class NotificationScope(RequestContext ctx, string eventName, Dictionary<string, object?> document)
    {
        public RequestContext Context { get; } = ctx;
        /// <summary>The bucket's notification configuration, read once before the handler runs.</summary>
        public Dictionary<string, object?> Document { get; } = document;
        /// <summary>The event a write causes (ObjectCreated:Put ...); removals decide theirs from what was deleted.</summary>
        public string EventName { get; } = eventName;
        public List<OutboxEntry> Entries { get; } = [];
    }

    private void RegisterNotifications(OperationRegistry operations)
    {
        _outbox = new DeliveryOutbox(env.State, env.Events, env.Clock, _log, "s3", NotificationRetry);
        Around(operations, "PutObject", "ObjectCreated:Put");
        Around(operations, "CopyObject", "ObjectCreated:Copy");
        Around(operations, "CompleteMultipartUpload", "ObjectCreated:CompleteMultipartUpload");
        Around(operations, "PutObjectTagging", "ObjectTagging:Put");
        Around(operations, "DeleteObjectTagging", "ObjectTagging:Delete");
        Around(operations, "PutObjectAcl", "ObjectAcl:Put");
        Around(operations, "DeleteObject", "ObjectRemoved");
        Around(operations, "DeleteObjects", "ObjectRemoved");
        // Events recorded before a restart go out now.
        _outbox.Start();
    }

    /// <summary>Runs <paramref name="after"/> once the handler has answered successfully; a failure in it never fails the request.</summary>
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

    /// <summary>
    /// Runs the handler with a notification scope: the object changes it commits record their events in the same
    /// transaction (<see cref="StageWritten"/>, <see cref="StageRemoved"/>), and once it has answered they are delivered.
    /// </summary>
    private void Around(OperationRegistry operations, string name, string eventName)
    {
        if (operations.Find(name) is not { } inner) return;
        operations.On(name, (ctx, input) => WithNotifications(ctx, eventName, input.GetString("Bucket"), () => inner(ctx, input)));
    }

    /// <summary>A bucket without a notification configuration costs one lookup and nothing inside the handler's transactions.</summary>
    private async ValueTask<T> WithNotifications<T>(RequestContext ctx, string eventName, string? bucketName, Func<ValueTask<T>> handler)
    {
        if (bucketName is null || _configs.Get(bucketName, NotificationConfigName) is not { } document) return await handler();
        var scope = new NotificationScope(ctx, eventName, document);
        Notifying.Value = scope;
        try
        {
            return await handler();
        }
        finally
        {
            Notifying.Value = null;
            // Whatever committed is delivered now; what fails (or a crash before this) is retried from the outbox.
            if (scope.Entries.Count > 0) DeliverStaged(scope.Entries);
        }
    }

    private void DeliverStaged(List<OutboxEntry> entries)
    {
        try
        {
            _outbox?.DeliverNow(entries);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogNotificationFailed(_log, "delivery", e);
        }
    }

    /// <summary>Inside the transaction that wrote <paramref name="obj"/>: records the current request's event for it, if any.</summary>
    private void StageWritten(string bucketName, ObjectRecord obj)
    {
        if (Notifying.Value is not { } scope || scope.EventName == "ObjectRemoved") return;
        if (_buckets.Get(bucketName) is not { } bucket) return;
        Stage(bucket, scope.Document, RequestEvent(scope.Context, scope.EventName, obj.Key, obj.Size, obj.ETag, bucket.Versioning is null ? null : obj.VersionId),
            scope.Entries);
    }

    /// <summary>
    /// Runs a deletion's transaction body and records its event inside the same transaction: a delete marker created
    /// (no version named, versioned bucket) or something removed.
    /// </summary>
    private (Dictionary<string, object?> Output, T Garbage) StageRemoved<T>(string bucketName, string key, string? requestedVersion,
        Func<(Dictionary<string, object?> Output, T Garbage)> work)
    {
        var result = work();
        if (Notifying.Value is not { EventName: "ObjectRemoved" } scope || _buckets.Get(bucketName) is not { } bucket) return result;
        var created = requestedVersion is null && result.Output.GetBool("DeleteMarker") == true;
        Stage(bucket, scope.Document, RequestEvent(scope.Context, created ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", key, null, null,
            bucket.Versioning is null ? null : result.Output.GetString("VersionId")), scope.Entries);
        return result;
    }

    private static S3Event RequestEvent(RequestContext ctx, string name, string key, long? size, string? etag, string? versionId) =>
        new(name, key, size, etag, versionId, ctx.Now, S3Notifications.RequesterPrincipal(ctx.Caller), ctx.Request.SourceIp ?? "127.0.0.1",
            S3RequestId(ctx.RequestId), NewHostId());

    /// <summary>An event S3 itself causes (lifecycle): S3 is the principal and the source.</summary>
    private S3Event ServiceEvent(string name, string key, long? size, string? etag, string? versionId) =>
        new(name, key, size, etag, versionId, env.Clock.GetUtcNow(), "s3.amazonaws.com", "s3.amazonaws.com",
            S3RequestId(Guid.NewGuid().ToString()), NewHostId());

    /// <summary>Inside a transaction: records <paramref name="e"/> in the outbox for every configuration of the bucket that wants it.</summary>
    private void StageLifecycle(string bucketName, S3Event e, List<OutboxEntry> entries)
    {
        if (_configs.Get(bucketName, NotificationConfigName) is { } document && _buckets.Get(bucketName) is { } bucket) Stage(bucket, document, e, entries);
    }

    /// <summary>Records <paramref name="e"/> for every configuration of <paramref name="document"/> that wants it (inside the caller's transaction).</summary>
    private void Stage(BucketRecord bucket, Dictionary<string, object?> document, S3Event e, List<OutboxEntry> entries)
    {
        if (_outbox is null) return;
        string? sequencer = null;
        foreach (var (id, arn) in S3Notifications.Matching(document, e))
        {
            sequencer ??= S3Notifications.NextSequencer(e.Time);
            var delivery = new Delivery { TargetArn = arn, Body = S3Notifications.EventJson(e, bucket, id, sequencer), SourceArn = "arn:aws:s3:::" + bucket.Name };
            entries.Add(_outbox.Enqueue(new Scope(bucket.Owner, bucket.Region), delivery));
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

}
