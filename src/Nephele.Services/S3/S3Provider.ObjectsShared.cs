using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>What PutObject, CopyObject and CreateMultipartUpload share: reading an object's settings from the request,
/// committing a new version, resolving the version a read names, and writing an object's headers.</summary>
public sealed partial class S3Provider
{
    private const int MaxKeyBytes = 1024;
    private const int MaxTags = 10;

    private static readonly HashSet<string> StorageClasses =
    [
        "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE",
        "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE",
    ];

    private static readonly HashSet<string> CannedObjectAcls =
    [
        "private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control",
    ];

    private static string RequireKey(Dictionary<string, object?> input)
    {
        var key = input.RequireString("Key");
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes) throw S3ObjectErrors.KeyTooLong();
        return key;
    }

    /// <summary>A new object's settings from request headers (everything but its bytes).</summary>
    private ObjectRecord ObjectSettings(RequestContext ctx, BucketRecord bucket, Dictionary<string, object?> input, string key)
    {
        var storageClass = input.GetString("StorageClass") ?? "STANDARD";
        if (!StorageClasses.Contains(storageClass))
            throw new AwsException("InvalidStorageClass", "The storage class you specified is not valid", 400);
        var record = new ObjectRecord
        {
            Key = key,
            LastModified = ctx.Now,
            Owner = ctx.AccountId,
            StorageClass = storageClass,
            ContentType = input.GetString("ContentType"),
            ContentEncoding = StripAwsChunked(input.GetString("ContentEncoding")),
            ContentDisposition = input.GetString("ContentDisposition"),
            ContentLanguage = input.GetString("ContentLanguage"),
            CacheControl = input.GetString("CacheControl"),
            Expires = input.GetTimestamp("Expires"),
            WebsiteRedirectLocation = input.GetString("WebsiteRedirectLocation"),
            Metadata = UserMetadata(input),
            Tags = input.GetString("Tagging") is { } tagging ? ParseTagging(tagging) : [],
            Acl = ObjectAcl(bucket, input),
            Grants = GrantHeaders(bucket, input),
            ObjectLockMode = input.GetString("ObjectLockMode"),
            ObjectLockRetainUntil = input.GetTimestamp("ObjectLockRetainUntilDate"),
            ObjectLockLegalHold = input.GetString("ObjectLockLegalHoldStatus"),
        };
        return WithEncryption(ctx, bucket, input, record);
    }

    /// <summary>The SDKs mark a chunk-encoded upload with Content-Encoding aws-chunked; it is transport, not the object's encoding.</summary>
    private static string? StripAwsChunked(string? encoding)
    {
        if (encoding is null) return null;
        var rest = string.Join(",", encoding.Split(',').Select(e => e.Trim())
            .Where(e => e.Length > 0 && !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
        return rest.Length == 0 ? null : rest;
    }

    private static Dictionary<string, string> UserMetadata(Dictionary<string, object?> input)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in input.GetStringMap("Metadata")) metadata[k.ToLowerInvariant()] = v;
        return metadata;
    }

    /// <summary>x-amz-tagging: URL-encoded key=value pairs.</summary>
    private static Dictionary<string, string> ParseTagging(string tagging)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in QueryMap.Parse(tagging))
        {
            if (!tags.TryAdd(k, v)) throw new AwsException("InvalidTag", "Cannot provide multiple Tags with the same key", 400);
        }
        ValidateTags(tags);
        return tags;
    }

    private static void ValidateTags(Dictionary<string, string> tags)
    {
        if (tags.Count > MaxTags) throw new AwsException("BadRequest", "Object tags cannot be greater than 10", 400);
        foreach (var (k, v) in tags)
        {
            if (k.Length is 0 or > 128) throw new AwsException("InvalidTag", "The TagKey you have provided is invalid", 400);
            if (v.Length > 256) throw new AwsException("InvalidTag", "The TagValue you have provided is invalid", 400);
        }
    }

    /// <summary>A canned ACL; with BucketOwnerEnforced ownership only bucket-owner-full-control (or none) is accepted.</summary>
    private static string? ObjectAcl(BucketRecord bucket, Dictionary<string, object?> input)
    {
        var acl = input.GetString("ACL");
        var grants = input.Keys.Any(k => k.StartsWith("Grant", StringComparison.Ordinal));
        if (bucket.ObjectOwnership == "BucketOwnerEnforced" && (grants || acl is not null && acl != "bucket-owner-full-control"))
            throw S3ObjectErrors.AccessControlListNotSupported();
        if (acl is not null && !CannedObjectAcls.Contains(acl)) throw S3ObjectErrors.InvalidArgument("", "x-amz-acl", acl);
        return acl;
    }

    /// <summary>
    /// Makes <paramref name="record"/> the key's current version, as the bucket's versioning state says: replaces the
    /// object (unversioned), adds a version (Enabled) or replaces the null version (Suspended). <paramref name="check"/>
    /// sees the current object inside the transaction (conditional writes). Blobs no longer referenced are deleted after
    /// the commit.
    /// </summary>
    private ObjectRecord CommitObject(string bucketName, ObjectRecord record, Action<ObjectRecord?>? check = null)
    {
        var (stored, garbage) = _objects.Transaction(() =>
        {
            var bucket = _buckets.Get(bucketName) ?? throw S3Errors.NoSuchBucket(bucketName);
            var current = _objects.Current(bucketName, record.Key);
            check?.Invoke(current);
            var garbage = new List<string>();
            ObjectRecord stored;
            switch (bucket.Versioning)
            {
                case null:
                    stored = record with { VersionId = null, Sort = "" };
                    garbage.AddRange(ObjectStore.BlobsOf(current));
                    break;
                case "Enabled":
                    var sort = _objects.NewSort();
                    stored = record with { VersionId = sort, Sort = sort };
                    _objects.PutVersion(bucketName, stored);
                    break;
                default:
                    if (_objects.Version(bucketName, record.Key, "null") is { } old)
                    {
                        _objects.DeleteVersion(bucketName, old);
                        garbage.AddRange(ObjectStore.BlobsOf(old));
                    }
                    stored = record with { VersionId = "null", Sort = _objects.NewSort() };
                    _objects.PutVersion(bucketName, stored);
                    break;
            }
            _objects.PutCurrent(bucketName, stored);
            StageWritten(bucketName, stored);
            return (stored, garbage);
        });
        _objects.DeleteBlobs(garbage);
        return stored;
    }

    /// <summary>The object (version) a GET/HEAD/copy names, or AWS's error for a missing key, version or a delete marker.</summary>
    private ObjectRecord ReadableObject(BucketRecord bucket, string key, string? versionId)
    {
        if (versionId is null)
        {
            if (_objects.Current(bucket.Name, key) is { } current) return current;
            if (bucket.Versioning is not null && _objects.VersionsOf(bucket.Name, key).FirstOrDefault() is { IsDeleteMarker: true } marker)
            {
                var error = S3ObjectErrors.NoSuchKey(key);
                error.Headers["x-amz-delete-marker"] = "true";
                error.Headers["x-amz-version-id"] = marker.VersionId!;
                throw error;
            }
            throw S3ObjectErrors.NoSuchKey(key);
        }
        if (bucket.Versioning is null)
        {
            if (versionId != "null") throw S3ObjectErrors.InvalidVersionId(versionId);
            return _objects.Current(bucket.Name, key) ?? throw S3ObjectErrors.NoSuchVersion(key, versionId);
        }
        if (!IsVersionIdLike(versionId)) throw S3ObjectErrors.InvalidVersionId(versionId);
        var version = _objects.Version(bucket.Name, key, versionId) ?? throw S3ObjectErrors.NoSuchVersion(key, versionId);
        if (version.IsDeleteMarker)
        {
            var error = S3ObjectErrors.MethodNotAllowed();
            error.Headers["x-amz-delete-marker"] = "true";
            error.Headers["x-amz-version-id"] = versionId;
            error.Headers["Last-Modified"] = version.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            throw error;
        }
        return version;
    }

    /// <summary>Our version ids are 28 lower-case hex digits; anything else (but "null") is not a version id at all.</summary>
    private static bool IsVersionIdLike(string versionId) =>
        versionId == "null" || versionId.Length == 28 && versionId.All(char.IsAsciiHexDigitLower);

    /// <summary>The headers GET and HEAD share.</summary>
    private static void WriteObjectHeaders(ObjectRecord obj, Dictionary<string, object?> input, Dictionary<string, object?> output)
    {
        output["ETag"] = obj.ETag;
        output["LastModified"] = obj.LastModified;
        output["AcceptRanges"] = "bytes";
        output["ContentType"] = obj.ContentType ?? "binary/octet-stream";
        if (obj.ContentEncoding is { } ce) output["ContentEncoding"] = ce;
        if (obj.ContentDisposition is { } cd) output["ContentDisposition"] = cd;
        if (obj.ContentLanguage is { } cl) output["ContentLanguage"] = cl;
        if (obj.CacheControl is { } cc) output["CacheControl"] = cc;
        if (obj.Expires is { } ex) output["Expires"] = ex;
        if (obj.WebsiteRedirectLocation is { } wr) output["WebsiteRedirectLocation"] = wr;
        if (obj.Metadata.Count > 0) output["Metadata"] = obj.Metadata.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        if (obj.VersionId is { } v) output["VersionId"] = v;
        if (obj.StorageClass != "STANDARD") output["StorageClass"] = obj.StorageClass;
        WriteEncryption(obj, output);
        if (obj.Tags.Count > 0) output["TagCount"] = (long)obj.Tags.Count;
        if (obj.PartsCount is { } parts && input.GetLong("PartNumber") is not null) output["PartsCount"] = (long)parts;
        if (obj.ObjectLockMode is { } mode) output["ObjectLockMode"] = mode;
        if (obj.ObjectLockRetainUntil is { } until) output["ObjectLockRetainUntilDate"] = until;
        if (obj.ObjectLockLegalHold is { } hold) output["ObjectLockLegalHoldStatus"] = hold;
        // response-* query parameters override what GET/HEAD answer.
        if (input.GetString("ResponseContentType") is { } rct) output["ContentType"] = rct;
        if (input.GetString("ResponseContentLanguage") is { } rcl) output["ContentLanguage"] = rcl;
        if (input.GetString("ResponseContentDisposition") is { } rcd) output["ContentDisposition"] = rcd;
        if (input.GetString("ResponseContentEncoding") is { } rce) output["ContentEncoding"] = rce;
        if (input.GetString("ResponseCacheControl") is { } rcc) output["CacheControl"] = rcc;
        if (input.GetTimestamp("ResponseExpires") is { } rex) output["Expires"] = rex;
    }

    private static void WriteChecksum(ObjectRecord obj, Dictionary<string, object?> output)
    {
        if (obj.ChecksumAlgorithm is not { } algorithm || obj.ChecksumValue is not { } value) return;
        output[S3Checksums.MemberOf(algorithm)] = value;
        output["ChecksumType"] = obj.ChecksumType ?? "FULL_OBJECT";
    }
}
