using System.Globalization;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    /// <summary>A single PUT may carry at most 5 GiB; larger objects need a multipart upload.</summary>
    private const long MaxSinglePutSize = 5L * 1024 * 1024 * 1024;

    private void RegisterObjects(OperationRegistry operations)
    {
        operations
            .On("PutObject", PutObject)
            .On("GetObject", GetObject)
            .On("HeadObject", HeadObject)
            .On("DeleteObject", DeleteObject)
            .On("DeleteBucket", DeleteBucket);
        RegisterCopy(operations);
        RegisterListing(operations);
        RegisterMultipart(operations);
        RegisterVersioning(operations);
        RegisterObjectSubresources(operations);
    }

    private async ValueTask<Dictionary<string, object?>> PutObject(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        ObjectConditions.ValidateWrite(input);
        var settings = ObjectSettings(ctx, bucket, input, key);
        var length = DeclaredLength(ctx, input);
        if (length > MaxSinglePutSize) throw S3ObjectErrors.EntityTooLarge();
        var checksum = RequestedChecksum(ctx, input);
        var body = await StoreBodyAsync(ctx, input, checksum, ContentKey(ctx, settings, input));
        try
        {
            var record = settings with
            {
                Size = body.Size,
                ETag = $"\"{body.Md5Hex}\"",
                Inline = body.Inline,
                InlineIv = body.Inline is null ? null : body.Iv,
                Blobs = body.Blobs,
                ChecksumAlgorithm = body.ChecksumAlgorithm,
                ChecksumValue = body.ChecksumValue,
                ChecksumType = "FULL_OBJECT",
            };
            var stored = CommitObject(bucket.Name, record, current => ObjectConditions.CheckWrite(input, current, key));
            var output = new Dictionary<string, object?> { ["ETag"] = stored.ETag };
            if (stored.VersionId is { } v) output["VersionId"] = v;
            WriteEncryption(stored, output);
            if (checksum.Explicit) WriteChecksum(stored, output);
            return output;
        }
        catch
        {
            _objects.DeleteBlobs(body.Blobs?.Select(b => b.BlobId) ?? []);
            throw;
        }
    }

    /// <summary>The body's size as the client declared it (x-amz-decoded-content-length for aws-chunked bodies).</summary>
    private static long? DeclaredLength(RequestContext ctx, Dictionary<string, object?> input)
    {
        if (long.TryParse(ctx.Request.Headers.Get("x-amz-decoded-content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var decoded))
            return decoded;
        return input.GetLong("ContentLength");
    }

    /// <summary>Which additional checksum a write computes: the one the client names (header, trailer, or SDK algorithm), else CRC64NVME as S3 does by default.</summary>
    private readonly record struct ChecksumRequest(string Algorithm, string? Declared, bool Explicit, bool Trailing);

    private static ChecksumRequest RequestedChecksum(RequestContext ctx, Dictionary<string, object?> input)
    {
        string? algorithm = null, declared = null;
        foreach (var a in S3Checksums.Algorithms)
        {
            if (input.GetString(S3Checksums.MemberOf(a)) is not { } value) continue;
            if (algorithm is not null)
                throw S3ObjectErrors.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            if (!IsChecksumValue(a, value))
                throw S3ObjectErrors.InvalidRequest($"Value for {S3Checksums.HeaderOf(a)} header is invalid.");
            algorithm = a;
            declared = value;
        }
        var trailing = false;
        if (algorithm is null && ctx.Request.Headers.Get("x-amz-trailer") is { } trailer
            && trailer.Trim().StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = S3Checksums.Normalize(trailer.Trim()["x-amz-checksum-".Length..])
                ?? throw S3ObjectErrors.InvalidRequest("The value specified in the x-amz-trailer header is not supported");
            trailing = true;
        }
        if (algorithm is null && input.GetString("ChecksumAlgorithm") is { } sdk)
            algorithm = S3Checksums.Normalize(sdk) ?? throw S3ObjectErrors.InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
        return algorithm is null ? new("CRC64NVME", null, false, false) : new(algorithm, declared, true, trailing);
    }

    private static bool IsChecksumValue(string algorithm, string value)
    {
        try { return Convert.FromBase64String(value).Length == S3Checksums.SizeOf(algorithm); }
        catch (FormatException) { return false; }
    }

    /// <summary>Streams the request body to storage and checks Content-MD5 and the additional checksum; a mismatch stores nothing.</summary>
    private async Task<StoredBody> StoreBodyAsync(RequestContext ctx, Dictionary<string, object?> input, ChecksumRequest checksum, byte[]? contentKey)
    {
        byte[]? contentMd5 = null;
        if (input.GetString("ContentMD5") is { } md5Text)
        {
            try { contentMd5 = Convert.FromBase64String(md5Text); }
            catch (FormatException) { throw S3ObjectErrors.InvalidDigest(); }
            if (contentMd5.Length != 16) throw S3ObjectErrors.InvalidDigest();
        }
        var stream = input.GetValueOrDefault("Body") as Stream ?? Stream.Null;
        var body = await ObjectBody.StoreAsync(_objects.Blobs, stream, checksum.Algorithm, ctx.Aborted, contentKey);
        try
        {
            if (contentMd5 is not null && Convert.ToHexStringLower(contentMd5) != body.Md5Hex)
                throw S3ObjectErrors.BadDigest("The Content-MD5 you specified did not match what we received.");
            var declared = checksum.Declared;
            if (checksum.Trailing && ctx.Request.Body is AwsChunkedStream chunked)
                chunked.TrailingHeaders.TryGetValue(S3Checksums.HeaderOf(checksum.Algorithm), out declared);
            if (declared is not null && declared != body.ChecksumValue)
                throw S3ObjectErrors.BadDigest($"The {checksum.Algorithm} you specified did not match the calculated checksum.");
            return body;
        }
        catch
        {
            _objects.DeleteBlobs(body.Blobs?.Select(b => b.BlobId) ?? []);
            throw;
        }
    }

    private ValueTask<Dictionary<string, object?>> GetObject(RequestContext ctx, Dictionary<string, object?> input) =>
        ValueTask.FromResult(ReadObject(ctx, input, head: false));

    private Dictionary<string, object?> HeadObject(RequestContext ctx, Dictionary<string, object?> input) => ReadObject(ctx, input, head: true);

    private Dictionary<string, object?> ReadObject(RequestContext ctx, Dictionary<string, object?> input, bool head)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var obj = ReadableObject(bucket, key, input.GetString("VersionId"));
        CheckCustomerKey(obj, input);
        ObjectConditions.CheckRead(input, obj, ctx.Now);

        var output = new Dictionary<string, object?>();
        WriteObjectHeaders(obj, input, output);
        var range = RangeOf(obj, input);
        if (range is { } r)
        {
            ctx.ResponseStatus = 206;
            output["ContentRange"] = r.ContentRange(obj.Size);
            output["ContentLength"] = r.Length;
        }
        else
        {
            output["ContentLength"] = obj.Size;
            if (input.GetString("ChecksumMode") == "ENABLED") WriteChecksum(obj, output);
        }
        if (!head) output["Body"] = ObjectBody.Open(_objects.Blobs, obj, range?.Start ?? 0, range?.Length ?? obj.Size, ReadContentKey(ctx, obj, input));
        return output;
    }

    /// <summary>The bytes a GET asks for: a part (partNumber) or a Range header; null for the whole object.</summary>
    private static ByteRange? RangeOf(ObjectRecord obj, Dictionary<string, object?> input)
    {
        if (input.GetLong("PartNumber") is { } partNumber)
        {
            if (input.GetString("Range") is not null)
                throw S3ObjectErrors.InvalidRequest("Cannot specify both Range header and partNumber query parameter");
            if (obj.PartsCount is null)
            {
                if (partNumber == 1) return null;
                throw S3ObjectErrors.InvalidRange(obj.Size, $"partNumber={partNumber}");
            }
            if (partNumber < 1 || partNumber > obj.PartsCount)
                throw new AwsException("InvalidPartNumber", "The requested partnumber is not satisfiable", 416);
            long start = 0;
            foreach (var part in obj.Blobs!)
            {
                if (part.PartNumber == partNumber) return new ByteRange(start, part.Size);
                start += part.Size;
            }
        }
        return ByteRange.Parse(input.GetString("Range"), obj.Size);
    }

    private Dictionary<string, object?> DeleteObject(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        return DeleteOne(ctx, bucket, key, input.GetString("VersionId"), input.GetBool("BypassGovernanceRetention") == true);
    }

    /// <summary>
    /// Deletes as the bucket's versioning state says: removes the object (unversioned), adds a delete marker (Enabled),
    /// replaces the null version with a delete marker (Suspended), or removes one version when one is named.
    /// </summary>
    private Dictionary<string, object?> DeleteOne(RequestContext ctx, BucketRecord bucket, string key, string? versionId, bool bypassGovernance)
    {
        if (versionId is not null && !IsVersionIdLike(versionId)) throw S3ObjectErrors.InvalidVersionId(versionId);
        var (output, garbage) = _objects.Transaction(() => StageRemoved(bucket.Name, key, versionId, () =>
        {
            var status = (_buckets.Get(bucket.Name) ?? throw S3Errors.NoSuchBucket(bucket.Name)).Versioning;
            var garbage = new List<string>();
            var output = new Dictionary<string, object?>();
            if (versionId is null)
            {
                var current = _objects.Current(bucket.Name, key);
                if (status is null)
                {
                    if (current is not null)
                    {
                        _objects.DeleteCurrent(bucket.Name, key);
                        garbage.AddRange(ObjectStore.BlobsOf(current));
                    }
                    return (output, garbage);
                }
                var sort = _objects.NewSort();
                var markerId = sort;
                if (status == "Suspended")
                {
                    markerId = "null";
                    if (_objects.Version(bucket.Name, key, "null") is { } old)
                    {
                        CheckLock(old, ctx, bypassGovernance);
                        _objects.DeleteVersion(bucket.Name, old);
                        garbage.AddRange(ObjectStore.BlobsOf(old));
                    }
                }
                _objects.PutVersion(bucket.Name, new ObjectRecord
                {
                    Key = key,
                    VersionId = markerId,
                    Sort = sort,
                    IsDeleteMarker = true,
                    LastModified = ctx.Now,
                    Owner = ctx.AccountId,
                });
                _objects.DeleteCurrent(bucket.Name, key);
                output["DeleteMarker"] = true;
                output["VersionId"] = markerId;
                return (output, garbage);
            }

            if (status is null)
            {
                if (versionId != "null") throw S3ObjectErrors.InvalidVersionId(versionId);
                if (_objects.Current(bucket.Name, key) is { } current)
                {
                    _objects.DeleteCurrent(bucket.Name, key);
                    garbage.AddRange(ObjectStore.BlobsOf(current));
                }
                output["VersionId"] = versionId;
                return (output, garbage);
            }
            output["VersionId"] = versionId;
            if (_objects.Version(bucket.Name, key, versionId) is not { } version) return (output, garbage);
            CheckLock(version, ctx, bypassGovernance);
            _objects.DeleteVersion(bucket.Name, version);
            garbage.AddRange(ObjectStore.BlobsOf(version));
            if (version.IsDeleteMarker) output["DeleteMarker"] = true;
            // The newest remaining version becomes current (unless it is a delete marker).
            if (_objects.VersionsOf(bucket.Name, key).FirstOrDefault() is { IsDeleteMarker: false } newest) _objects.PutCurrent(bucket.Name, newest);
            else _objects.DeleteCurrent(bucket.Name, key);
            return (output, garbage);
        }));
        _objects.DeleteBlobs(garbage);
        return output;
    }

    /// <summary>Object Lock: a version under legal hold or retention cannot be deleted (GOVERNANCE yields to the bypass header).</summary>
    private static void CheckLock(ObjectRecord version, RequestContext ctx, bool bypassGovernance)
    {
        if (version.IsDeleteMarker) return;
        var retained = version.ObjectLockRetainUntil is { } until && until > ctx.Now
            && !(version.ObjectLockMode == "GOVERNANCE" && bypassGovernance);
        if (version.ObjectLockLegalHold == "ON" || retained) throw S3Errors.AccessDenied();
    }

    private Dictionary<string, object?> DeleteBucket(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        if (bucket.Owner != ctx.AccountId) throw S3Errors.AccessDenied();
        var uploads = _objects.Transaction(() =>
        {
            if (_objects.HasObjects(bucket.Name)) throw S3ObjectErrors.BucketNotEmpty(bucket.Name);
            // Incomplete multipart uploads go with the bucket.
            var uploads = _objects.ListUploads(bucket.Name, "", null, int.MaxValue);
            foreach (var upload in uploads) _objects.DeleteUpload(bucket.Name, upload);
            _buckets.Delete(bucket.Name);
            _buckets.DeleteConfiguration(bucket.Name);
            return uploads;
        });
        foreach (var upload in uploads) DeleteUploadParts(upload.UploadId);
        return [];
    }
}
