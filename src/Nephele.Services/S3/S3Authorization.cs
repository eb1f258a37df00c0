using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// For --enforce-iam: the IAM action(s) each S3 operation needs, on which bucket or object, with S3's condition keys
/// (Service Authorization Reference, "Actions defined by Amazon S3"). Operations not listed need the action of their
/// own name on the bucket (or the object, when they carry a Key).
/// </summary>
internal static class S3Authorization
{
    /// <summary>One permission a request needs: an action on a bucket (Key null) or object, with its condition keys.</summary>
    internal sealed record Access(string Action, string Bucket, string? Key, ConditionKeys Keys, bool ReadsExistingObject = false, string? VersionId = null);

    // Operation → action when the names differ; the resource is the object when the request has a Key.
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["HeadBucket"] = "s3:ListBucket",
        ["ListObjects"] = "s3:ListBucket",
        ["ListObjectsV2"] = "s3:ListBucket",
        ["ListObjectVersions"] = "s3:ListBucketVersions",
        ["ListMultipartUploads"] = "s3:ListBucketMultipartUploads",
        ["ListParts"] = "s3:ListMultipartUploadParts",
        ["HeadObject"] = "s3:GetObject",
        ["SelectObjectContent"] = "s3:GetObject",
        ["CreateMultipartUpload"] = "s3:PutObject",
        ["UploadPart"] = "s3:PutObject",
        ["CompleteMultipartUpload"] = "s3:PutObject",
        ["GetBucketLifecycle"] = "s3:GetLifecycleConfiguration",
        ["GetBucketLifecycleConfiguration"] = "s3:GetLifecycleConfiguration",
        ["PutBucketLifecycle"] = "s3:PutLifecycleConfiguration",
        ["PutBucketLifecycleConfiguration"] = "s3:PutLifecycleConfiguration",
        ["DeleteBucketLifecycle"] = "s3:PutLifecycleConfiguration",
        ["GetBucketNotificationConfiguration"] = "s3:GetBucketNotification",
        ["PutBucketNotificationConfiguration"] = "s3:PutBucketNotification",
        ["GetBucketEncryption"] = "s3:GetEncryptionConfiguration",
        ["PutBucketEncryption"] = "s3:PutEncryptionConfiguration",
        ["DeleteBucketEncryption"] = "s3:PutEncryptionConfiguration",
        ["GetBucketCors"] = "s3:GetBucketCORS",
        ["PutBucketCors"] = "s3:PutBucketCORS",
        ["DeleteBucketCors"] = "s3:PutBucketCORS",
        ["DeleteBucketTagging"] = "s3:PutBucketTagging",
        ["GetBucketReplication"] = "s3:GetReplicationConfiguration",
        ["PutBucketReplication"] = "s3:PutReplicationConfiguration",
        ["DeleteBucketReplication"] = "s3:PutReplicationConfiguration",
        ["GetPublicAccessBlock"] = "s3:GetBucketPublicAccessBlock",
        ["PutPublicAccessBlock"] = "s3:PutBucketPublicAccessBlock",
        ["DeletePublicAccessBlock"] = "s3:PutBucketPublicAccessBlock",
        ["DeleteBucketOwnershipControls"] = "s3:PutBucketOwnershipControls",
        ["GetObjectLockConfiguration"] = "s3:GetBucketObjectLockConfiguration",
        ["PutObjectLockConfiguration"] = "s3:PutBucketObjectLockConfiguration",
        ["GetBucketAccelerateConfiguration"] = "s3:GetAccelerateConfiguration",
        ["PutBucketAccelerateConfiguration"] = "s3:PutAccelerateConfiguration",
        ["GetBucketAnalyticsConfiguration"] = "s3:GetAnalyticsConfiguration",
        ["ListBucketAnalyticsConfigurations"] = "s3:GetAnalyticsConfiguration",
        ["PutBucketAnalyticsConfiguration"] = "s3:PutAnalyticsConfiguration",
        ["DeleteBucketAnalyticsConfiguration"] = "s3:PutAnalyticsConfiguration",
        ["GetBucketInventoryConfiguration"] = "s3:GetInventoryConfiguration",
        ["ListBucketInventoryConfigurations"] = "s3:GetInventoryConfiguration",
        ["PutBucketInventoryConfiguration"] = "s3:PutInventoryConfiguration",
        ["DeleteBucketInventoryConfiguration"] = "s3:PutInventoryConfiguration",
        ["GetBucketMetricsConfiguration"] = "s3:GetMetricsConfiguration",
        ["ListBucketMetricsConfigurations"] = "s3:GetMetricsConfiguration",
        ["PutBucketMetricsConfiguration"] = "s3:PutMetricsConfiguration",
        ["DeleteBucketMetricsConfiguration"] = "s3:PutMetricsConfiguration",
        ["GetBucketIntelligentTieringConfiguration"] = "s3:GetIntelligentTieringConfiguration",
        ["ListBucketIntelligentTieringConfigurations"] = "s3:GetIntelligentTieringConfiguration",
        ["PutBucketIntelligentTieringConfiguration"] = "s3:PutIntelligentTieringConfiguration",
        ["DeleteBucketIntelligentTieringConfiguration"] = "s3:PutIntelligentTieringConfiguration",
    };

    // Object operations whose action names the version when the request names one (GetObject → s3:GetObjectVersion).
    private static readonly Dictionary<string, string> VersionActions = new(StringComparer.Ordinal)
    {
        ["s3:GetObject"] = "s3:GetObjectVersion",
        ["s3:DeleteObject"] = "s3:DeleteObjectVersion",
        ["s3:GetObjectAcl"] = "s3:GetObjectVersionAcl",
        ["s3:PutObjectAcl"] = "s3:PutObjectVersionAcl",
        ["s3:GetObjectTagging"] = "s3:GetObjectVersionTagging",
        ["s3:PutObjectTagging"] = "s3:PutObjectVersionTagging",
        ["s3:DeleteObjectTagging"] = "s3:DeleteObjectVersionTagging",
        ["s3:GetObjectAttributes"] = "s3:GetObjectVersionAttributes",
    };

    // Actions on an existing object, whose tags s3:ExistingObjectTag/<key> reads.
    private static readonly HashSet<string> ExistingObjectActions = new(StringComparer.Ordinal)
    {
        "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectVersionAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl",
        "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging",
        "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes",
    };

    /// <summary>What the operation needs; empty for requests on no bucket (authorized against "*").</summary>
    public static List<Access> AccessesOf(string operation, Dictionary<string, object?> input, Func<string?, (string Bucket, string Key, string? VersionId)?> copySource)
    {
        if (input.GetString("Bucket") is not { Length: > 0 } bucket) return [];
        var key = input.GetString("Key") is { Length: > 0 } k ? k : null;
        var versionId = input.GetString("VersionId") is { Length: > 0 } v && v != "null" ? v : null;
        switch (operation)
        {
            case "DeleteObjects":
                // One DeleteObject (or DeleteObjectVersion) per key, as S3 authorizes a multi-object delete.
                var objects = ((input.GetValueOrDefault("Delete") as Dictionary<string, object?>)?.GetValueOrDefault("Objects") as List<object?>) ?? [];
                return objects.OfType<Dictionary<string, object?>>()
                    .Select(o => (Key: o.GetString("Key") ?? "", Version: o.GetString("VersionId")))
                    .Select(o => new Access(o.Version is { Length: > 0 } ? "s3:DeleteObjectVersion" : "s3:DeleteObject", bucket, o.Key, new ConditionKeys().Add("s3:versionid", o.Version)))
                    .ToList();
            case "CopyObject" or "UploadPartCopy":
                var accesses = new List<Access> { new("s3:PutObject", bucket, key, Writes(input).Add("s3:x-amz-copy-source", input.GetString("CopySource"))) };
                if (copySource(input.GetString("CopySource")) is { } source)
                    accesses.Insert(0, new(source.VersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", source.Bucket, source.Key,
                        new ConditionKeys().Add("s3:versionid", source.VersionId), ReadsExistingObject: true, source.VersionId));
                return accesses;
            case "GetObjectAttributes":
                // Both the read and the attributes permission, as S3 documents for GetObjectAttributes.
                return
                [
                    new(versionId is null ? "s3:GetObject" : "s3:GetObjectVersion", bucket, key, Versioned(versionId), true, versionId),
                    new(versionId is null ? "s3:GetObjectAttributes" : "s3:GetObjectVersionAttributes", bucket, key, Versioned(versionId), true, versionId),
                ];
        }
        var action = Actions.GetValueOrDefault(operation) ?? "s3:" + operation;
        if (versionId is not null && VersionActions.TryGetValue(action, out var versioned)) action = versioned;
        var keys = operation switch
        {
            "ListObjects" or "ListObjectsV2" or "ListObjectVersions" or "ListMultipartUploads" => new ConditionKeys()
                .Add("s3:prefix", input.GetString("Prefix") ?? "")
                .Add("s3:delimiter", input.GetString("Delimiter"))
                .Add("s3:max-keys", input.GetValueOrDefault("MaxKeys")?.ToString()),
            "PutObject" or "CreateMultipartUpload" => Writes(input),
            "PutObjectAcl" or "PutBucketAcl" or "CreateBucket" => new ConditionKeys().Add("s3:x-amz-acl", input.GetString("ACL")),
            "PutObjectTagging" => RequestObjectTags(new ConditionKeys(), TagSet(input)),
            _ => new ConditionKeys(),
        };
        keys.Add("s3:versionid", versionId);
        // Object operations act on the object; HeadBucket/ListObjects etc. act on the bucket even when a Key is sent.
        var onObject = key is not null && !Actions.ContainsKey(operation) || operation is "HeadObject" or "SelectObjectContent"
            or "CreateMultipartUpload" or "UploadPart" or "CompleteMultipartUpload" or "ListParts";
        return [new(action, bucket, onObject ? key : null, keys, onObject && ExistingObjectActions.Contains(action), versionId)];
    }

    private static ConditionKeys Versioned(string? versionId) => new ConditionKeys().Add("s3:versionid", versionId);

    /// <summary>The condition keys of a request that writes an object: its canned ACL, encryption and tags.</summary>
    private static ConditionKeys Writes(Dictionary<string, object?> input)
    {
        var keys = new ConditionKeys()
            .Add("s3:x-amz-acl", input.GetString("ACL"))
            .Add("s3:x-amz-server-side-encryption", input.GetString("ServerSideEncryption"))
            .Add("s3:x-amz-server-side-encryption-aws-kms-key-id", input.GetString("SSEKMSKeyId"))
            .Add("s3:x-amz-storage-class", input.GetString("StorageClass"))
            .Add("s3:x-amz-metadata-directive", input.GetString("MetadataDirective"));
        // Tagging: the x-amz-tagging header, URL-query encoded ("k1=v1&k2=v2").
        var tags = input.GetString("Tagging") is { Length: > 0 } tagging
            ? tagging.Split('&').Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")).ToList()
            : null;
        return RequestObjectTags(keys, tags);
    }

    private static ConditionKeys RequestObjectTags(ConditionKeys keys, List<KeyValuePair<string, string>>? tags) => tags is null ? keys
        : keys.Prefixed("s3:RequestObjectTag/", tags).Add("s3:RequestObjectTagKeys", tags.ConvertAll(t => t.Key));

    /// <summary>The TagSet of a PutObjectTagging body.</summary>
    private static List<KeyValuePair<string, string>>? TagSet(Dictionary<string, object?> input) =>
        ((input.GetValueOrDefault("Tagging") as Dictionary<string, object?>)?.GetValueOrDefault("TagSet") as List<object?>)?
            .OfType<Dictionary<string, object?>>().Select(t => KeyValuePair.Create(t.GetString("Key") ?? "", t.GetString("Value") ?? "")).ToList();
}
