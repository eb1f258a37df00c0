using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private void RegisterCopy(OperationRegistry operations) => operations.On("CopyObject", CopyObject);

    /// <summary>x-amz-copy-source: "[/]bucket/key[?versionId=id]", the key URL-encoded.</summary>
    private readonly record struct CopySource(string Bucket, string Key, string? VersionId);

    private static CopySource ParseCopySource(string? header)
    {
        var bad = S3ObjectErrors.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", header);
        if (string.IsNullOrEmpty(header)) throw bad;
        var text = header.TrimStart('/');
        string? versionId = null;
        var q = text.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            versionId = QueryMap.Parse(text[(q + 1)..]).Get("versionId");
            text = text[..q];
        }
        string decoded;
        try { decoded = Uri.UnescapeDataString(text); }
        catch (UriFormatException) { throw bad; }
        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == decoded.Length - 1) throw bad;
        return new CopySource(decoded[..slash], decoded[(slash + 1)..], versionId);
    }

    /// <summary>The source object of a copy, checked against the caller's copy-source conditions and SSE-C key.</summary>
    private (BucketRecord Bucket, ObjectRecord Object) ReadCopySource(RequestContext ctx, Dictionary<string, object?> input, CopySource source)
    {
        var bucket = _buckets.Get(source.Bucket) ?? throw S3Errors.NoSuchBucket(source.Bucket);
        if (input.GetString("ExpectedSourceBucketOwner") is { } expected && expected != bucket.Owner) throw S3Errors.AccessDenied();
        ObjectRecord obj;
        try
        {
            obj = ReadableObject(bucket, source.Key, source.VersionId);
        }
        catch (AwsException e) when (e.Code == "MethodNotAllowed")
        {
            throw S3ObjectErrors.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        CheckCustomerKey(obj, input, "CopySource");
        ObjectConditions.CheckCopySource(input, obj, ctx.Now);
        return (bucket, obj);
    }

    private async ValueTask<Dictionary<string, object?>> CopyObject(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var source = ParseCopySource(input.GetString("CopySource"));
        var (sourceBucket, src) = ReadCopySource(ctx, input, source);
        ObjectConditions.ValidateWrite(input);

        var replaceMetadata = (input.GetString("MetadataDirective") ?? "COPY") switch
        {
            "COPY" => false,
            "REPLACE" => true,
            var other => throw S3ObjectErrors.InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", other),
        };
        var replaceTags = (input.GetString("TaggingDirective") ?? "COPY") switch
        {
            "COPY" => false,
            "REPLACE" => true,
            var other => throw S3ObjectErrors.InvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", other),
        };
        var settings = ObjectSettings(ctx, bucket, input, key);
        if (sourceBucket.Name == bucket.Name && source.Key == key && !replaceMetadata
            && (source.VersionId is null || source.VersionId == src.VersionId)
            && !input.ContainsKey("StorageClass") && !input.ContainsKey("ServerSideEncryption") && !input.ContainsKey("SSECustomerAlgorithm")
            && !input.ContainsKey("WebsiteRedirectLocation") && !input.ContainsKey("SSEKMSKeyId"))
        {
            throw S3ObjectErrors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        if (!replaceMetadata)
        {
            settings = settings with
            {
                ContentType = src.ContentType,
                ContentEncoding = src.ContentEncoding,
                ContentDisposition = src.ContentDisposition,
                ContentLanguage = src.ContentLanguage,
                CacheControl = src.CacheControl,
                Expires = src.Expires,
                Metadata = src.Metadata,
                WebsiteRedirectLocation = input.GetString("WebsiteRedirectLocation") ?? src.WebsiteRedirectLocation,
            };
        }
        if (!replaceTags) settings = settings with { Tags = src.Tags };

        var algorithm = S3Checksums.Normalize(input.GetString("ChecksumAlgorithm")) ?? src.ChecksumAlgorithm ?? "CRC64NVME";
        StoredBody body;
        await using (var data = ObjectBody.Open(_objects.Blobs, src, 0, src.Size, ReadContentKey(ctx, src, input, "CopySource")))
            body = await ObjectBody.StoreAsync(_objects.Blobs, data, algorithm, ctx.Aborted, ContentKey(ctx, settings, input));
        try
        {
            var stored = CommitObject(bucket.Name, settings with
            {
                Size = body.Size,
                ETag = $"\"{body.Md5Hex}\"",
                Inline = body.Inline,
                InlineIv = body.Inline is null ? null : body.Iv,
                Blobs = body.Blobs,
                ChecksumAlgorithm = body.ChecksumAlgorithm,
                ChecksumValue = body.ChecksumValue,
                ChecksumType = "FULL_OBJECT",
            }, current => ObjectConditions.CheckWrite(input, current, key));
            var result = new Dictionary<string, object?> { ["ETag"] = stored.ETag, ["LastModified"] = stored.LastModified };
            WriteChecksum(stored, result);
            var output = new Dictionary<string, object?> { ["CopyObjectResult"] = result };
            if (src.VersionId is { } sv) output["CopySourceVersionId"] = sv;
            if (stored.VersionId is { } v) output["VersionId"] = v;
            WriteEncryption(stored, output);
            return output;
        }
        catch
        {
            _objects.DeleteBlobs(body.Blobs?.Select(b => b.BlobId) ?? []);
            throw;
        }
    }
}
