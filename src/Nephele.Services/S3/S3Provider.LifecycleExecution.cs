using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// Lifecycle execution on Nephele's clock: a periodic sweep (every minute of Nephele time, and at once whenever the
/// clock is advanced past that) applies every bucket's enabled rules to what is stored — expiration, noncurrent
/// version expiration, expired delete marker removal, aborting incomplete multipart uploads, and transitions (the
/// storage class changes). Everything is derived from stored state and the clock, so a restart loses nothing.
/// GET, HEAD and PUT answer x-amz-expiration for objects an expiration rule will remove.
/// </summary>
public sealed partial class S3Provider : IDisposable
{
    private const int SweepPage = 1000;
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private readonly Lock _sweepLock = new();
    private ITimer? _lifecycleTimer;

    private void RegisterLifecycleExecution(OperationRegistry operations)
    {
        foreach (var name in (string[])["GetObject", "HeadObject", "PutObject"])
            After(operations, name, (_, input, output) => AddExpirationHeader(input, output));
        _lifecycleTimer = env.Clock.CreateTimer(static s => ((S3Provider)s!).SweepLifecycle(), this, SweepPeriod, SweepPeriod);
    }

    public void Dispose()
    {
        _lifecycleTimer?.Dispose();
        _outbox?.Dispose();
        DisposeAccessLogs();
    }

    /// <summary>x-amz-expiration for the current version, naming the enabled rule that expires it first.</summary>
    private void AddExpirationHeader(Dictionary<string, object?> input, Dictionary<string, object?> output)
    {
        if (input.GetString("Bucket") is not { } bucket || input.GetString("Key") is not { } key) return;
        if (LifecycleRules(bucket) is not { Count: > 0 } documents) return;
        var rules = S3LifecycleRule.Parse(documents).Where(r => r.Enabled && r.Expires).ToList();
        if (rules.Count == 0 || _objects.Current(bucket, key) is not { } obj) return;
        if (output.GetString("VersionId") is { } v && obj.VersionId != v) return;
        if (Expiry(rules, obj) is { } expiry) output["Expiration"] = S3LifecycleRule.ExpirationHeader(expiry.At, expiry.RuleId);
    }

    private static (DateTimeOffset At, string RuleId)? Expiry(List<S3LifecycleRule> rules, ObjectRecord obj)
    {
        (DateTimeOffset At, string RuleId)? first = null;
        foreach (var rule in rules)
            if (rule.Enabled && rule.Matches(obj) && rule.ExpiryOf(obj) is { } at && (first is null || at < first.Value.At)) first = (at, rule.Id);
        return first;
    }

    /// <summary>One pass over every bucket with lifecycle rules; passes never overlap, and an advance of the clock waits for a running one.</summary>
    private void SweepLifecycle()
    {
        // Access log records go out whenever the clock is advanced too, so tests see them without waiting.
        FlushAccessLogsAsync().GetAwaiter().GetResult();
        lock (_sweepLock)
        {
            try
            {
                var now = env.Clock.GetUtcNow();
                foreach (var bucket in AllBuckets())
                {
                    if (LifecycleRules(bucket.Name) is not { Count: > 0 } documents) continue;
                    var rules = S3LifecycleRule.Parse(documents).Where(r => r.Enabled).ToList();
                    if (rules.Count > 0) SweepBucket(bucket, rules, now);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogSweepFailed(_log, e);
            }
        }
    }

    private IEnumerable<BucketRecord> AllBuckets() =>
        env.State.Table("s3", "buckets").Values(Scope.Global("s3"), S3JsonContext.Default.BucketRecord).ToList();

    private void SweepBucket(BucketRecord bucket, List<S3LifecycleRule> rules, DateTimeOffset now)
    {
        string? after = null;
        while (true)
        {
            var page = _objects.ListCurrent(bucket.Name, "", after, SweepPage);
            foreach (var obj in page) SweepCurrent(bucket, obj, rules, now);
            if (page.Count < SweepPage) break;
            after = page[^1].Key;
        }
        if (bucket.Versioning is not null) SweepVersions(bucket, rules, now);
        if (rules.Any(r => r.AbortDays is not null)) SweepUploads(bucket, rules, now);
    }

    /// <summary>Expires or transitions one current version.</summary>
    private void SweepCurrent(BucketRecord bucket, ObjectRecord obj, List<S3LifecycleRule> rules, DateTimeOffset now)
    {
        if (Expiry(rules, obj) is { } expiry && expiry.At <= now)
        {
            Expire(bucket.Name, obj, now);
            return;
        }
        string? target = null;
        foreach (var rule in rules)
            if (rule.Matches(obj) && rule.TransitionDue(obj, now) is { } storageClass) target = storageClass;
        if (target is not null && target != obj.StorageClass) ChangeStorageClass(bucket.Name, obj, target, isCurrent: true);
    }

    /// <summary>Expiration: removes the object (unversioned) or puts a delete marker on it (versioned), unless it changed meanwhile.</summary>
    private void Expire(string bucketName, ObjectRecord expected, DateTimeOffset now)
    {
        var entries = new List<OutboxEntry>();
        var garbage = _objects.Transaction(() =>
        {
            var bucket = _buckets.Get(bucketName);
            var current = _objects.Current(bucketName, expected.Key);
            var garbage = new List<string>();
            if (bucket is null || current is null || current.Sort != expected.Sort || current.ETag != expected.ETag || current.LastModified != expected.LastModified)
                return garbage;
            if (bucket.Versioning is null)
            {
                _objects.DeleteCurrent(bucketName, expected.Key);
                garbage.AddRange(ObjectStore.BlobsOf(current));
                StageLifecycle(bucketName, ServiceEvent("LifecycleExpiration:Delete", expected.Key, null, null, null), entries);
                return garbage;
            }
            var sort = _objects.NewSort();
            var markerId = sort;
            if (bucket.Versioning == "Suspended")
            {
                markerId = "null";
                if (_objects.Version(bucketName, expected.Key, "null") is { } old)
                {
                    if (IsLocked(old, now)) return garbage;
                    _objects.DeleteVersion(bucketName, old);
                    garbage.AddRange(ObjectStore.BlobsOf(old));
                }
            }
            _objects.PutVersion(bucketName, new ObjectRecord
            {
                Key = expected.Key,
                VersionId = markerId,
                Sort = sort,
                IsDeleteMarker = true,
                LastModified = now,
                Owner = bucket.Owner,
            });
            _objects.DeleteCurrent(bucketName, expected.Key);
            StageLifecycle(bucketName, ServiceEvent("LifecycleExpiration:DeleteMarkerCreated", expected.Key, null, null, markerId), entries);
            return garbage;
        });
        _objects.DeleteBlobs(garbage);
        DeliverStaged(entries);
    }

    private void ChangeStorageClass(string bucketName, ObjectRecord expected, string storageClass, bool isCurrent) => _objects.Transaction(() =>
    {
        var bucket = _buckets.Get(bucketName);
        if (bucket is null) return 0;
        var changed = expected with { StorageClass = storageClass };
        if (expected.VersionId is not null && bucket.Versioning is not null)
        {
            if (_objects.Version(bucketName, expected.Key, expected.VersionId) is not { } row || row.Sort != expected.Sort) return 0;
            _objects.PutVersion(bucketName, changed);
        }
        if (isCurrent && _objects.Current(bucketName, expected.Key) is { } current && current.Sort == expected.Sort && current.ETag == expected.ETag)
            _objects.PutCurrent(bucketName, changed);
        return 0;
    });

    /// <summary>Noncurrent version expiration and transitions, then expired delete markers, key by key over the version rows.</summary>
    private void SweepVersions(BucketRecord bucket, List<S3LifecycleRule> rules, DateTimeOffset now)
    {
        if (!rules.Any(r => r.NoncurrentDays is not null || r.NoncurrentTransitions.Count > 0 || r.ExpiredObjectDeleteMarker)) return;
        string? after = null;
        var group = new List<ObjectRecord>();
        while (true)
        {
            var page = _objects.ListVersions(bucket.Name, "", after, SweepPage);
            foreach (var version in page)
            {
                if (group.Count > 0 && group[0].Key != version.Key)
                {
                    SweepKeyVersions(bucket.Name, group, rules, now);
                    group = [];
                }
                group.Add(version);
            }
            if (page.Count < SweepPage) break;
            after = ObjectStore.VersionRow(page[^1]);
        }
        if (group.Count > 0) SweepKeyVersions(bucket.Name, group, rules, now);
    }

    /// <summary>The versions of one key, newest first: the first is current (or the delete marker hiding the key).</summary>
    private void SweepKeyVersions(string bucketName, List<ObjectRecord> versions, List<S3LifecycleRule> rules, DateTimeOffset now)
    {
        var remaining = new List<ObjectRecord> { versions[0] };
        for (var i = 1; i < versions.Count; i++)
        {
            var version = versions[i];
            // A version became noncurrent when the next newer one was written.
            var since = versions[i - 1].LastModified;
            var newerNoncurrent = i - 1;
            var expire = rules.Any(r => r.NoncurrentDays is { } days && r.Matches(version)
                && S3LifecycleRule.AfterDays(since, days) <= now
                && (r.NewerNoncurrentVersions is not { } keep || newerNoncurrent >= keep));
            if (expire && RemoveVersion(bucketName, version, now)) continue;
            remaining.Add(version);
            if (version.IsDeleteMarker) continue;
            string? target = null;
            foreach (var rule in rules)
                if (rule.Matches(version) && rule.NoncurrentTransitionDue(since, now) is { } storageClass) target = storageClass;
            if (target is not null && target != version.StorageClass) ChangeStorageClass(bucketName, version, target, isCurrent: false);
        }
        // A delete marker with no versions left behind it is "expired"; ExpiredObjectDeleteMarker removes it.
        if (remaining is [{ IsDeleteMarker: true } marker] && rules.Any(r => r.ExpiredObjectDeleteMarker && r.Matches(marker)))
            RemoveVersion(bucketName, marker, now);
    }

    /// <summary>
    /// Permanently removes a noncurrent version or delete marker (never one under Object Lock), with its
    /// LifecycleExpiration:Delete event; false when it is gone or locked.
    /// </summary>
    private bool RemoveVersion(string bucketName, ObjectRecord version, DateTimeOffset now)
    {
        var entries = new List<OutboxEntry>();
        var garbage = _objects.Transaction(() =>
        {
            if (IsLocked(version, now)) return null;
            if (_objects.Version(bucketName, version.Key, version.VersionId!) is not { } row || row.Sort != version.Sort) return null;
            // Only ever noncurrent versions or a lone delete marker: the current object row stays as it is.
            if (_objects.Current(bucketName, version.Key) is { } current && current.Sort == version.Sort) return null;
            _objects.DeleteVersion(bucketName, version);
            StageLifecycle(bucketName, ServiceEvent("LifecycleExpiration:Delete", version.Key, null, null, version.VersionId), entries);
            return ObjectStore.BlobsOf(version).ToList();
        });
        if (garbage is null) return false;
        _objects.DeleteBlobs(garbage);
        DeliverStaged(entries);
        return true;
    }

    private static bool IsLocked(ObjectRecord version, DateTimeOffset now) =>
        !version.IsDeleteMarker && (version.ObjectLockLegalHold == "ON" || version.ObjectLockRetainUntil is { } until && until > now);

    /// <summary>AbortIncompleteMultipartUpload: uploads initiated the rule's days ago (rounded to midnight) are aborted.</summary>
    private void SweepUploads(BucketRecord bucket, List<S3LifecycleRule> rules, DateTimeOffset now)
    {
        foreach (var upload in _objects.ListUploads(bucket.Name, "", null, int.MaxValue))
        {
            var due = rules.Any(r => r.AbortDays is { } days && upload.Key.StartsWith(r.Prefix, StringComparison.Ordinal)
                && S3LifecycleRule.AfterDays(upload.Initiated, days) <= now);
            if (!due) continue;
            var removed = _objects.Transaction(() => _objects.Upload(bucket.Name, upload.Key, upload.UploadId) is not null && _objects.DeleteUpload(bucket.Name, upload));
            if (removed) DeleteUploadParts(upload.UploadId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 lifecycle sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
