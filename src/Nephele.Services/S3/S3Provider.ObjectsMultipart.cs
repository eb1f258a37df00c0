using System.Globalization;
using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Multipart uploads: each part is its own blob file; completing an upload writes one object row that lists the part
/// blobs in order, so no byte is copied however large the object.
/// </summary>
public sealed partial class S3Provider
{
    private const long MinPartSize = 5L * 1024 * 1024;
    private const int MaxPartNumber = 10000;

    private void RegisterMultipart(OperationRegistry operations) => operations
        .On("CreateMultipartUpload", CreateMultipartUpload)
        .On("UploadPart", UploadPart)
        .On("UploadPartCopy", UploadPartCopy)
        .On("ListParts", ListParts)
        .On("CompleteMultipartUpload", CompleteMultipartUpload)
        .On("AbortMultipartUpload", AbortMultipartUpload);

    private Dictionary<string, object?> CreateMultipartUpload(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var template = ObjectSettings(ctx, bucket, input, key);
        string? algorithm = null;
        if (input.GetString("ChecksumAlgorithm") is { } requested)
            algorithm = S3Checksums.Normalize(requested) ?? throw S3ObjectErrors.InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
        var type = input.GetString("ChecksumType") ?? (algorithm is null ? null : algorithm == "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE");
        if (type == "FULL_OBJECT" && algorithm is "SHA1" or "SHA256")
            throw S3ObjectErrors.InvalidRequest($"The FULL_OBJECT checksum type cannot be used with the {algorithm.ToLowerInvariant()} checksum algorithm.");
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        // Upload ids sort by initiation time, the order ListMultipartUploads gives the uploads of one key.
        var uploadId = ctx.Now.UtcTicks.ToString("x16", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(random);
        var upload = new UploadRecord
        {
            UploadId = uploadId,
            Key = key,
            Initiated = ctx.Now,
            Owner = ctx.AccountId,
            Template = template,
            ChecksumAlgorithm = algorithm,
            ChecksumType = type,
        };
        _objects.PutUpload(bucket.Name, upload);
        var output = new Dictionary<string, object?> { ["Bucket"] = bucket.Name, ["Key"] = key, ["UploadId"] = uploadId };
        WriteEncryption(template, output);
        if (algorithm is not null) output["ChecksumAlgorithm"] = algorithm;
        if (type is not null) output["ChecksumType"] = type;
        return output;
    }

    private UploadRecord RequireUpload(BucketRecord bucket, string key, Dictionary<string, object?> input)
    {
        var uploadId = input.RequireString("UploadId");
        return _objects.Upload(bucket.Name, key, uploadId) ?? throw S3ObjectErrors.NoSuchUpload(uploadId);
    }

    private static int RequirePartNumber(Dictionary<string, object?> input)
    {
        var n = input.GetLong("PartNumber") ?? 0;
        if (n is < 1 or > MaxPartNumber)
            throw S3ObjectErrors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", n.ToString(CultureInfo.InvariantCulture));
        return (int)n;
    }

    private async ValueTask<Dictionary<string, object?>> UploadPart(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var upload = RequireUpload(bucket, key, input);
        var partNumber = RequirePartNumber(input);
        if (upload.Template.SseCustomerKeyMd5 is not null) CheckCustomerKey(upload.Template, input);
        if (DeclaredLength(ctx, input) > MaxSinglePutSize) throw S3ObjectErrors.EntityTooLarge();
        var checksum = RequestedChecksum(ctx, input);
        if (upload.ChecksumAlgorithm is { } uploadAlgorithm && checksum.Explicit && checksum.Algorithm != uploadAlgorithm)
            throw S3ObjectErrors.InvalidRequest($"Checksum Type mismatch occurred, expected checksum Type: {uploadAlgorithm.ToLowerInvariant()}, actual checksum Type: {checksum.Algorithm.ToLowerInvariant()}");
        if (!checksum.Explicit && upload.ChecksumAlgorithm is { } algorithm) checksum = checksum with { Algorithm = algorithm };
        var body = await StoreBodyAsync(ctx, input, checksum, ContentKey(ctx, upload.Template, input));
        var part = await CommitPartAsync(bucket, upload, partNumber, body, ctx);
        var output = new Dictionary<string, object?> { ["ETag"] = part.ETag };
        WriteEncryption(upload.Template, output);
        if (upload.ChecksumAlgorithm is not null || checksum.Explicit) output[S3Checksums.MemberOf(part.ChecksumAlgorithm!)] = part.ChecksumValue;
        return output;
    }

    /// <summary>Records a part (its bytes always in a blob file, so a completed object can reference them), replacing an earlier upload of the same number.</summary>
    private async Task<PartRecord> CommitPartAsync(BucketRecord bucket, UploadRecord upload, int partNumber, StoredBody body, RequestContext ctx)
    {
        var blob = body.Blob;
        if (blob is null)
        {
            var id = ObjectStore.NewBlobId();
            var size = await _objects.Blobs.WriteAsync(ObjectStore.BlobService, id, new MemoryStream(body.Inline ?? [], writable: false), ctx.Aborted);
            blob = new BlobPart { BlobId = id, Size = size, Iv = body.Iv };
        }
        var part = new PartRecord
        {
            PartNumber = partNumber,
            BlobId = blob.BlobId,
            Size = body.Size,
            ETag = $"\"{body.Md5Hex}\"",
            LastModified = ctx.Now,
            ChecksumAlgorithm = body.ChecksumAlgorithm,
            ChecksumValue = body.ChecksumValue,
            Iv = blob.Iv,
        };
        string? replaced;
        try
        {
            replaced = _objects.Transaction(() =>
            {
                // The upload may have been completed or aborted while the body streamed.
                if (_objects.Upload(bucket.Name, upload.Key, upload.UploadId) is null) throw S3ObjectErrors.NoSuchUpload(upload.UploadId);
                var old = _objects.Part(upload.UploadId, partNumber);
                _objects.PutPart(upload.UploadId, part);
                return old?.BlobId;
            });
        }
        catch
        {
            _objects.DeleteBlobs([blob.BlobId]);
            throw;
        }
        if (replaced is not null) _objects.DeleteBlobs([replaced]);
        return part;
    }

    private async ValueTask<Dictionary<string, object?>> UploadPartCopy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var upload = RequireUpload(bucket, key, input);
        var partNumber = RequirePartNumber(input);
        var source = ParseCopySource(input.GetString("CopySource"));
        var (_, src) = ReadCopySource(ctx, input, source);
        long start = 0, length = src.Size;
        if (input.GetString("CopySourceRange") is { } rangeText)
        {
            var parsed = ParseCopyRange(rangeText);
            if (parsed.End >= src.Size)
                throw S3ObjectErrors.InvalidArgument($"Range specified is not valid for source object of size: {src.Size}", "x-amz-copy-source-range", rangeText);
            (start, length) = (parsed.Start, parsed.Length);
        }
        var algorithm = upload.ChecksumAlgorithm ?? "CRC64NVME";
        StoredBody body;
        await using (var data = ObjectBody.Open(_objects.Blobs, src, start, length, ReadContentKey(ctx, src, input, "CopySource")))
            body = await ObjectBody.StoreAsync(_objects.Blobs, data, algorithm, ctx.Aborted, ContentKey(ctx, upload.Template, input));
        var part = await CommitPartAsync(bucket, upload, partNumber, body, ctx);
        var result = new Dictionary<string, object?> { ["ETag"] = part.ETag, ["LastModified"] = part.LastModified };
        if (upload.ChecksumAlgorithm is not null) result[S3Checksums.MemberOf(algorithm)] = part.ChecksumValue;
        var output = new Dictionary<string, object?> { ["CopyPartResult"] = result };
        if (src.VersionId is { } sv) output["CopySourceVersionId"] = sv;
        WriteEncryption(upload.Template, output);
        return output;
    }

    /// <summary>x-amz-copy-source-range must be exactly "bytes=first-last".</summary>
    private static ByteRange ParseCopyRange(string text)
    {
        var bad = S3ObjectErrors.InvalidArgument(
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
            "x-amz-copy-source-range", text);
        if (!text.StartsWith("bytes=", StringComparison.Ordinal)) throw bad;
        var parts = text[6..].Split('-');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
            throw bad;
        return new ByteRange(first, last - first + 1);
    }

    private Dictionary<string, object?> ListParts(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var upload = RequireUpload(bucket, key, input);
        var max = (int)Math.Clamp(input.GetLong("MaxParts") ?? 1000, 0, 1000);
        var marker = (int)(input.GetLong("PartNumberMarker") ?? 0);
        var parts = _objects.ListParts(upload.UploadId, marker, max + 1);
        var truncated = parts.Count > max;
        if (truncated) parts = parts.Take(max).ToList();
        var output = new Dictionary<string, object?>
        {
            ["Bucket"] = bucket.Name,
            ["Key"] = key,
            ["UploadId"] = upload.UploadId,
            ["PartNumberMarker"] = (long)marker,
            ["MaxParts"] = input.GetLong("MaxParts") ?? 1000,
            ["IsTruncated"] = truncated,
            ["StorageClass"] = upload.Template.StorageClass,
            ["Owner"] = S3Owner.Of(upload.Owner),
            ["Initiator"] = new Dictionary<string, object?> { ["ID"] = S3Owner.CanonicalId(upload.Owner), ["DisplayName"] = "webfile" },
            ["Parts"] = parts.Select(p =>
            {
                var entry = new Dictionary<string, object?>
                {
                    ["PartNumber"] = (long)p.PartNumber,
                    ["LastModified"] = p.LastModified,
                    ["ETag"] = p.ETag,
                    ["Size"] = p.Size,
                };
                if (upload.ChecksumAlgorithm is not null && p.ChecksumAlgorithm is { } a) entry[S3Checksums.MemberOf(a)] = p.ChecksumValue;
                return (object?)entry;
            }).ToList(),
        };
        if (parts.Count > 0) output["NextPartNumberMarker"] = (long)parts[^1].PartNumber;
        if (upload.ChecksumAlgorithm is { } algorithm) output["ChecksumAlgorithm"] = algorithm;
        if (upload.ChecksumType is { } type) output["ChecksumType"] = type;
        return output;
    }

    private async ValueTask<Dictionary<string, object?>> CompleteMultipartUpload(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var upload = RequireUpload(bucket, key, input);
        ObjectConditions.ValidateWrite(input);
        if (upload.Template.SseCustomerKeyMd5 is not null) CheckCustomerKey(upload.Template, input);
        var requested = input.GetStruct("MultipartUpload")?.GetList("Parts")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (requested.Count == 0)
            throw S3ObjectErrors.MalformedXml();

        var stored = _objects.ListParts(upload.UploadId, 0, int.MaxValue).ToDictionary(p => p.PartNumber);
        var chosen = new List<PartRecord>(requested.Count);
        var previous = 0L;
        foreach (var r in requested)
        {
            var number = r.GetLong("PartNumber") ?? 0;
            if (number <= previous) throw S3ObjectErrors.InvalidPartOrder();
            previous = number;
            if (!stored.TryGetValue((int)number, out var part) || !ObjectConditions.Matches(r.GetString("ETag") ?? "", part.ETag))
                throw S3ObjectErrors.InvalidPart();
            chosen.Add(part);
        }
        for (var i = 0; i < chosen.Count - 1; i++)
            if (chosen[i].Size < MinPartSize) throw S3ObjectErrors.EntityTooSmall();

        using var md5s = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var p in chosen) md5s.AppendData(Convert.FromHexString(p.ETag.Trim('"')));
        var etag = $"\"{Convert.ToHexStringLower(md5s.GetHashAndReset())}-{chosen.Count}\"";
        var blobs = chosen.Select(p => new BlobPart
        {
            BlobId = p.BlobId,
            Size = p.Size,
            PartNumber = p.PartNumber,
            ETag = p.ETag,
            Checksum = p.ChecksumValue,
            Iv = p.Iv,
        }).ToList();
        var record = upload.Template with
        {
            LastModified = ctx.Now,
            Size = chosen.Sum(p => p.Size),
            ETag = etag,
            Blobs = blobs,
            PartsCount = chosen.Count,
        };
        record = await WithUploadChecksumAsync(record, upload, chosen, ctx, input);

        var unused = stored.Values.Where(p => !chosen.Contains(p)).Select(p => p.BlobId).ToList();
        ObjectRecord committed;
        committed = CommitObject(bucket.Name, record, current =>
        {
            if (_objects.Upload(bucket.Name, key, upload.UploadId) is null) throw S3ObjectErrors.NoSuchUpload(upload.UploadId);
            ObjectConditions.CheckWrite(input, current, key);
            _objects.DeleteUpload(bucket.Name, upload);
            foreach (var p in stored.Keys) _objects.DeletePart(upload.UploadId, p);
        });
        _objects.DeleteBlobs(unused);
        var output = new Dictionary<string, object?>
        {
            ["Location"] = $"/{bucket.Name}/{Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal)}",
            ["Bucket"] = bucket.Name,
            ["Key"] = key,
            ["ETag"] = etag,
        };
        if (committed.VersionId is { } v) output["VersionId"] = v;
        WriteEncryption(committed, output);
        if (upload.ChecksumAlgorithm is not null) WriteChecksum(committed, output);
        return output;
    }

    /// <summary>
    /// The completed object's checksum: COMPOSITE is the checksum of the part checksums with a "-N" suffix; FULL_OBJECT
    /// (CRC64NVME and CRCs on request) is computed over the whole object, reading the parts back without copying them.
    /// </summary>
    private async Task<ObjectRecord> WithUploadChecksumAsync(ObjectRecord record, UploadRecord upload, List<PartRecord> parts, RequestContext ctx, Dictionary<string, object?> input)
    {
        if (upload.ChecksumAlgorithm is not { } algorithm) return record;
        if (upload.ChecksumType == "COMPOSITE")
        {
            var value = S3Checksums.Composite(algorithm, parts.Select(p => p.ChecksumValue ?? ""));
            return record with { ChecksumAlgorithm = algorithm, ChecksumValue = $"{value}-{parts.Count}", ChecksumType = "COMPOSITE" };
        }
        var checksum = S3Checksums.Create(algorithm);
        var buffer = new byte[81920];
        await using (var data = ObjectBody.Open(_objects.Blobs, record, 0, record.Size, ContentKey(ctx, record, input)))
        {
            int n;
            while ((n = await data.ReadAsync(buffer, ctx.Aborted)) > 0) checksum.Append(buffer.AsSpan(0, n));
        }
        return record with { ChecksumAlgorithm = algorithm, ChecksumValue = checksum.Base64(), ChecksumType = "FULL_OBJECT" };
    }

    private Dictionary<string, object?> AbortMultipartUpload(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var upload = RequireUpload(bucket, key, input);
        _objects.DeleteUpload(bucket.Name, upload);
        DeleteUploadParts(upload.UploadId);
        return [];
    }

    /// <summary>Deletes the part rows and blob files of an upload that is gone.</summary>
    private void DeleteUploadParts(string uploadId)
    {
        var parts = _objects.ListParts(uploadId, 0, int.MaxValue);
        _objects.Transaction(() =>
        {
            foreach (var p in parts) _objects.DeletePart(uploadId, p.PartNumber);
            return 0;
        });
        _objects.DeleteBlobs(parts.Select(p => p.BlobId));
    }
}
