using System.Text.Json.Serialization;

namespace Nephele.Services.S3;

/// <summary>
/// One version of an object (or a delete marker). Its bytes are either inline (small objects, kept in the row so a
/// 1 KiB PUT is one database write) or a list of blob files in order — one for a simple PUT, one per part for a
/// completed multipart upload, which is read back as their concatenation without ever copying the parts.
/// </summary>
internal sealed record ObjectRecord
{
    public required string Key { get; init; }
    /// <summary>"null" for the null version, an id for versions written while versioning was enabled; null in an unversioned bucket.</summary>
    public string? VersionId { get; init; }
    /// <summary>Orders the versions of one key newest first (see <see cref="ObjectStore"/>).</summary>
    public string Sort { get; init; } = "";
    public bool IsDeleteMarker { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    public required string Owner { get; init; }
    public long Size { get; init; }
    public string ETag { get; init; } = "";
    public string StorageClass { get; init; } = "STANDARD";
    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string? WebsiteRedirectLocation { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public string? ChecksumAlgorithm { get; init; }
    public string? ChecksumValue { get; init; }
    /// <summary>FULL_OBJECT or COMPOSITE.</summary>
    public string? ChecksumType { get; init; }
    public string? ServerSideEncryption { get; init; }
    public string? SseKmsKeyId { get; init; }
    public string? SseKmsContext { get; init; }
    public bool? BucketKeyEnabled { get; init; }
    public string? SseCustomerAlgorithm { get; init; }
    public string? SseCustomerKeyMd5 { get; init; }
    /// <summary>SSE-S3/SSE-KMS: the object's data key, sealed under the S3 master key or a KMS ciphertext.</summary>
    public byte[]? DataKey { get; init; }
    /// <summary>SSE-KMS: the encryption context the data key was sealed with.</summary>
    public Dictionary<string, string>? KmsContext { get; init; }
    public Dictionary<string, string> Tags { get; init; } = [];
    public string? Acl { get; init; }
    /// <summary>Grants set by x-amz-grant-* headers or an AccessControlPolicy (instead of a canned <see cref="Acl"/>), owner's included.</summary>
    public List<ObjectGrant>? Grants { get; init; }
    public int? PartsCount { get; init; }
    public byte[]? Inline { get; init; }
    /// <summary>The AES-CTR IV of the inline bytes when encrypted (blob files carry theirs in <see cref="BlobPart.Iv"/>).</summary>
    public byte[]? InlineIv { get; init; }
    public List<BlobPart>? Blobs { get; init; }
    public string? ObjectLockMode { get; init; }
    public DateTimeOffset? ObjectLockRetainUntil { get; init; }
    public string? ObjectLockLegalHold { get; init; }
}

/// <summary>One ACL grant as stored: the grantee (CanonicalUser ID or Group URI) and its permission.</summary>
internal sealed record ObjectGrant(string Permission, string Type, string? Id = null, string? DisplayName = null, string? Uri = null);

/// <summary>A run of an object's bytes stored as one blob file; for multipart objects also the part's own identity.</summary>
internal sealed record BlobPart
{
    public required string BlobId { get; init; }
    public required long Size { get; init; }
    public int PartNumber { get; init; }
    public string? ETag { get; init; }
    public string? Checksum { get; init; }
    /// <summary>The file holds AES-CTR ciphertext with this IV, under the object's content key (SSE-C key or data key).</summary>
    public byte[]? Iv { get; init; }
}

/// <summary>A multipart upload in progress.</summary>
internal sealed record UploadRecord
{
    public required string UploadId { get; init; }
    public required string Key { get; init; }
    public required DateTimeOffset Initiated { get; init; }
    public required string Owner { get; init; }
    /// <summary>The object's settings from CreateMultipartUpload, applied on completion (no bytes).</summary>
    public required ObjectRecord Template { get; init; }
    public string? ChecksumAlgorithm { get; init; }
    public string? ChecksumType { get; init; }
}

/// <summary>One uploaded part of a multipart upload.</summary>
internal sealed record PartRecord
{
    public required int PartNumber { get; init; }
    public required string BlobId { get; init; }
    public required long Size { get; init; }
    public required string ETag { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    public string? ChecksumAlgorithm { get; init; }
    public string? ChecksumValue { get; init; }
    public byte[]? Iv { get; init; }
}

[JsonSerializable(typeof(ObjectRecord))]
[JsonSerializable(typeof(UploadRecord))]
[JsonSerializable(typeof(PartRecord))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class S3ObjectJsonContext : JsonSerializerContext;
