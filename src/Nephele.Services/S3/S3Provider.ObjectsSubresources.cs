using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>DeleteObjects and the per-object documents: tagging, ACL, attributes, retention and legal hold.</summary>
public sealed partial class S3Provider
{
    private const int MaxDeleteObjects = 1000;

    private void RegisterObjectSubresources(OperationRegistry operations) => operations
        .On("DeleteObjects", DeleteObjects)
        .On("GetObjectTagging", GetObjectTagging)
        .On("PutObjectTagging", PutObjectTagging)
        .On("DeleteObjectTagging", DeleteObjectTagging)
        .On("GetObjectAcl", GetObjectAcl)
        .On("PutObjectAcl", PutObjectAcl)
        .On("GetObjectAttributes", GetObjectAttributes)
        .On("GetObjectRetention", GetObjectRetention)
        .On("PutObjectRetention", PutObjectRetention)
        .On("GetObjectLegalHold", GetObjectLegalHold)
        .On("PutObjectLegalHold", PutObjectLegalHold);

    private Dictionary<string, object?> DeleteObjects(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var delete = input.GetStruct("Delete") ?? throw S3ObjectErrors.MalformedXml();
        var objects = delete.GetList("Objects")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (objects.Count is 0 or > MaxDeleteObjects) throw S3ObjectErrors.MalformedXml();
        var quiet = delete.GetBool("Quiet") == true;
        var bypass = input.GetBool("BypassGovernanceRetention") == true;
        var deleted = new List<object?>();
        var errors = new List<object?>();
        foreach (var o in objects)
        {
            var key = o.GetString("Key") ?? "";
            var versionId = o.GetString("VersionId");
            try
            {
                if (key.Length == 0) throw S3ObjectErrors.InvalidArgument("", "Key", key);
                if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes) throw S3ObjectErrors.KeyTooLong();
                var result = DeleteOne(ctx, bucket, key, versionId, bypass);
                if (quiet) continue;
                var entry = new Dictionary<string, object?> { ["Key"] = key };
                if (versionId is not null) entry["VersionId"] = versionId;
                if (result.GetBool("DeleteMarker") == true)
                {
                    entry["DeleteMarker"] = true;
                    entry["DeleteMarkerVersionId"] = result.GetString("VersionId");
                }
                deleted.Add(entry);
            }
            catch (AwsException e)
            {
                // Errors are reported per key, in quiet mode too.
                var entry = new Dictionary<string, object?> { ["Key"] = key, ["Code"] = e.Code, ["Message"] = e.Message };
                if (versionId is not null) entry["VersionId"] = versionId;
                errors.Add(entry);
            }
        }
        return new() { ["Deleted"] = deleted, ["Errors"] = errors };
    }

    /// <summary>Applies <paramref name="change"/> to one version (the current one when none is named), in its version row and, when current, in the current row.</summary>
    private ObjectRecord UpdateObject(RequestContext ctx, BucketRecord bucket, string key, string? versionId, Func<ObjectRecord, ObjectRecord> change)
    {
        return _objects.Transaction(() =>
        {
            var obj = ReadableObject(bucket, key, versionId);
            var updated = change(obj);
            if (bucket.Versioning is not null && obj.VersionId is not null) _objects.PutVersion(bucket.Name, updated);
            if (_objects.Current(bucket.Name, key) is { } current && current.VersionId == obj.VersionId) _objects.PutCurrent(bucket.Name, updated);
            StageWritten(bucket.Name, updated);
            return updated;
        });
    }

    private Dictionary<string, object?> GetObjectTagging(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var obj = ReadableObject(bucket, RequireKey(input), input.GetString("VersionId"));
        var output = new Dictionary<string, object?>
        {
            ["TagSet"] = obj.Tags.Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value }).ToList(),
        };
        if (obj.VersionId is { } v) output["VersionId"] = v;
        return output;
    }

    private Dictionary<string, object?> PutObjectTagging(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var tagSet = input.GetStruct("Tagging")?.GetList("TagSet")?.OfType<Dictionary<string, object?>>() ?? throw S3ObjectErrors.MalformedXml();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tagSet)
        {
            if (!tags.TryAdd(t.GetString("Key") ?? "", t.GetString("Value") ?? ""))
                throw new AwsException("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
        }
        ValidateTags(tags);
        var updated = UpdateObject(ctx, bucket, RequireKey(input), input.GetString("VersionId"), o => o with { Tags = tags });
        return updated.VersionId is { } v ? new() { ["VersionId"] = v } : [];
    }

    private Dictionary<string, object?> DeleteObjectTagging(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var updated = UpdateObject(ctx, bucket, RequireKey(input), input.GetString("VersionId"), o => o with { Tags = [] });
        return updated.VersionId is { } v ? new() { ["VersionId"] = v } : [];
    }

    private Dictionary<string, object?> GetObjectAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var obj = ReadableObject(bucket, RequireKey(input), input.GetString("VersionId"));
        CheckCustomerKey(obj, input);
        var wanted = input.GetStrings("ObjectAttributes").SelectMany(a => a.Split(',')).Select(a => a.Trim()).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
            throw S3ObjectErrors.InvalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", "");
        var output = new Dictionary<string, object?> { ["LastModified"] = obj.LastModified };
        if (obj.VersionId is { } v) output["VersionId"] = v;
        if (wanted.Contains("ETag")) output["ETag"] = obj.ETag.Trim('"');
        if (wanted.Contains("StorageClass")) output["StorageClass"] = obj.StorageClass;
        if (wanted.Contains("ObjectSize")) output["ObjectSize"] = obj.Size;
        if (wanted.Contains("Checksum") && obj.ChecksumAlgorithm is not null)
        {
            var checksum = new Dictionary<string, object?>();
            WriteChecksum(obj, checksum);
            output["Checksum"] = checksum;
        }
        if (wanted.Contains("ObjectParts") && obj.PartsCount is { } count)
        {
            var max = (int)Math.Clamp(input.GetLong("MaxParts") ?? 1000, 0, 1000);
            var marker = input.GetLong("PartNumberMarker") ?? 0;
            var after = obj.Blobs!.Where(p => p.PartNumber > marker).ToList();
            var page = after.Take(max).ToList();
            output["ObjectParts"] = new Dictionary<string, object?>
            {
                ["TotalPartsCount"] = (long)count,
                ["PartNumberMarker"] = marker,
                ["NextPartNumberMarker"] = page.Count > 0 ? page[^1].PartNumber : marker,
                ["MaxParts"] = (long)max,
                ["IsTruncated"] = after.Count > max,
                ["Parts"] = page.Select(p =>
                {
                    var part = new Dictionary<string, object?> { ["PartNumber"] = (long)p.PartNumber, ["Size"] = p.Size };
                    if (obj.ChecksumType == "COMPOSITE" && p.Checksum is { } c) part[S3Checksums.MemberOf(obj.ChecksumAlgorithm!)] = c;
                    return (object?)part;
                }).ToList(),
            };
        }
        return output;
    }

    private void RequireObjectLock(BucketRecord bucket)
    {
        if (!bucket.ObjectLockEnabled)
            throw new AwsException("InvalidRequest", "Bucket is missing Object Lock Configuration", 400);
    }

    private Dictionary<string, object?> GetObjectRetention(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        RequireObjectLock(bucket);
        var obj = ReadableObject(bucket, RequireKey(input), input.GetString("VersionId"));
        if (obj.ObjectLockMode is null)
            throw new AwsException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
        return new()
        {
            ["Retention"] = new Dictionary<string, object?> { ["Mode"] = obj.ObjectLockMode, ["RetainUntilDate"] = obj.ObjectLockRetainUntil },
        };
    }

    private Dictionary<string, object?> PutObjectRetention(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        RequireObjectLock(bucket);
        var retention = input.GetStruct("Retention") ?? throw S3ObjectErrors.MalformedXml();
        var mode = retention.GetString("Mode");
        var until = retention.GetTimestamp("RetainUntilDate");
        if (mode is not (null or "GOVERNANCE" or "COMPLIANCE")) throw S3ObjectErrors.MalformedXml();
        if (until is { } u && u <= ctx.Now)
            throw S3ObjectErrors.InvalidArgument("The retain until date must be in the future!", "RetainUntilDate", null);
        var bypass = input.GetBool("BypassGovernanceRetention") == true;
        var updated = UpdateObject(ctx, bucket, RequireKey(input), input.GetString("VersionId"), o =>
        {
            // Shortening or removing an active retention needs GOVERNANCE mode and the bypass header; COMPLIANCE never yields.
            var active = o.ObjectLockRetainUntil is { } current && current > ctx.Now;
            var weakens = active && (until is null || until < o.ObjectLockRetainUntil || mode != o.ObjectLockMode);
            if (weakens && (o.ObjectLockMode == "COMPLIANCE" || !bypass)) throw S3Errors.AccessDenied();
            return o with { ObjectLockMode = mode, ObjectLockRetainUntil = until };
        });
        return [];
    }

    private Dictionary<string, object?> GetObjectLegalHold(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        RequireObjectLock(bucket);
        var obj = ReadableObject(bucket, RequireKey(input), input.GetString("VersionId"));
        if (obj.ObjectLockLegalHold is null)
            throw new AwsException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
        return new() { ["LegalHold"] = new Dictionary<string, object?> { ["Status"] = obj.ObjectLockLegalHold } };
    }

    private Dictionary<string, object?> PutObjectLegalHold(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        RequireObjectLock(bucket);
        var status = input.GetStruct("LegalHold")?.GetString("Status");
        if (status is not ("ON" or "OFF")) throw S3ObjectErrors.MalformedXml();
        UpdateObject(ctx, bucket, RequireKey(input), input.GetString("VersionId"), o => o with { ObjectLockLegalHold = status });
        return [];
    }
}
