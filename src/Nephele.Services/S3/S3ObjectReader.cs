using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.Kms;

namespace Nephele.Services.S3;

/// <summary>
/// How other services read an object from S3 in process (Lambda's deployment packages and layers from
/// S3Bucket/S3Key/S3ObjectVersion). It reads what GetObject would return, without the caller's credentials; a
/// missing bucket, key or version throws the AwsException S3 itself answers, for the caller to rewrap.
/// </summary>
public sealed class S3ObjectReader(ServiceEnvironment env)
{
    private readonly BucketStore _buckets = new(env.State);
    private readonly ObjectStore _objects = new(env.State, env.Clock);
    private readonly KmsEnvelope _kms = new(env);
    private readonly S3MasterKey _masterKey = new(env.State);

    /// <summary>The region of a bucket, or null when it does not exist.</summary>
    public string? BucketRegion(string bucket) => _buckets.Get(bucket)?.Region;

    /// <summary>The whole object (the current version, or <paramref name="versionId"/>), refusing bodies over <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]> ReadAllAsync(string bucket, string key, string? versionId, long maxBytes, CancellationToken ct)
    {
        var record = _buckets.Get(bucket) ?? throw S3Errors.NoSuchBucket(bucket);
        var obj = versionId is null
            ? _objects.Current(bucket, key) ?? throw S3ObjectErrors.NoSuchKey(key)
            : _objects.Version(bucket, key, versionId) is { IsDeleteMarker: false } v ? v
            : record.Versioning is null && versionId == "null" && _objects.Current(bucket, key) is { } unversioned ? unversioned
            : throw S3ObjectErrors.NoSuchVersion(key, versionId);
        if (obj.SseCustomerAlgorithm is not null)
            throw new AwsException("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
        if (obj.Size > maxBytes) throw new AwsException("EntityTooLarge", $"The object is larger than {maxBytes} bytes.");
        var dataKey = S3Provider.StoredDataKey(_kms, _masterKey, new(record.Owner, record.Region), obj);
        await using var body = ObjectBody.Open(_objects.Blobs, obj, 0, obj.Size, dataKey);
        var buffer = new byte[obj.Size];
        await body.ReadExactlyAsync(buffer, ct);
        return buffer;
    }
}
