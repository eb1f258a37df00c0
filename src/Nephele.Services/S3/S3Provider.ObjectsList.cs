using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private const int DefaultMaxKeys = 1000;

    private void RegisterListing(OperationRegistry operations) => operations
        .On("ListObjectsV2", ListObjectsV2)
        .On("ListObjects", ListObjects)
        .On("ListObjectVersions", ListObjectVersions)
        .On("ListMultipartUploads", ListMultipartUploads);

    private static int MaxKeys(Dictionary<string, object?> input, string member = "MaxKeys", string argument = "max-keys")
    {
        var max = input.GetLong(member) ?? DefaultMaxKeys;
        if (max < 0) throw S3ObjectErrors.InvalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", argument, max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (int)Math.Min(max, DefaultMaxKeys);
    }

    private static Func<string, string> Encoder(Dictionary<string, object?> input)
    {
        var encoding = input.GetString("EncodingType");
        if (encoding is null) return s => s;
        if (encoding != "url") throw S3ObjectErrors.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
        return KeyListing.UrlEncode;
    }

    private ListingPage<ObjectRecord> WalkObjects(string bucket, string prefix, string? delimiter, string? resumeAfter, string? skip, int max)
    {
        var page = KeyListing.Walk((after, limit) => _objects.ListCurrentRows(bucket, prefix, after, limit), r => r.Key, r => r.Key,
            prefix, delimiter, resumeAfter, skip, max);
        return new ListingPage<ObjectRecord>(page.Items.Select(r => ObjectStore.Parse(r.Value)).ToList(), page.Prefixes, page.Truncated,
            page.LastKey, page.LastWasPrefix);
    }

    private Dictionary<string, object?> ListObjectsV2(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var encode = Encoder(input);
        var max = MaxKeys(input);
        var prefix = input.GetString("Prefix") ?? "";
        var delimiter = input.GetString("Delimiter");
        var startAfter = input.GetString("StartAfter");
        var token = input.GetString("ContinuationToken");
        string? resume = startAfter;
        if (token is not null)
        {
            resume = KeyListing.ResumeFrom(token)
                ?? throw S3ObjectErrors.InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
        }
        var page = WalkObjects(bucket.Name, prefix, delimiter, resume, startAfter, max);
        var fetchOwner = input.GetBool("FetchOwner") == true;
        var output = new Dictionary<string, object?>
        {
            ["Name"] = bucket.Name,
            ["Prefix"] = encode(prefix),
            ["MaxKeys"] = input.GetLong("MaxKeys") ?? DefaultMaxKeys,
            ["KeyCount"] = (long)(page.Items.Count + page.Prefixes.Count),
            ["IsTruncated"] = page.Truncated,
            ["Contents"] = page.Items.Select(o => (object?)ObjectEntry(o, encode, fetchOwner)).ToList(),
            ["CommonPrefixes"] = page.Prefixes.Select(p => (object?)new Dictionary<string, object?> { ["Prefix"] = encode(p) }).ToList(),
        };
        if (delimiter is not null) output["Delimiter"] = encode(delimiter);
        if (input.ContainsKey("EncodingType")) output["EncodingType"] = "url";
        if (token is not null) output["ContinuationToken"] = token;
        if (startAfter is not null) output["StartAfter"] = encode(startAfter);
        if (page.Truncated && page.LastKey is { } last) output["NextContinuationToken"] = KeyListing.Token(last, page.LastWasPrefix);
        return output;
    }

    private Dictionary<string, object?> ListObjects(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var encode = Encoder(input);
        var max = MaxKeys(input);
        var prefix = input.GetString("Prefix") ?? "";
        var delimiter = input.GetString("Delimiter");
        var marker = input.GetString("Marker");
        // A marker that is a common prefix resumes after every key below it.
        var page = WalkObjects(bucket.Name, prefix, delimiter, marker, marker, max);
        var output = new Dictionary<string, object?>
        {
            ["Name"] = bucket.Name,
            ["Prefix"] = encode(prefix),
            ["Marker"] = encode(marker ?? ""),
            ["MaxKeys"] = input.GetLong("MaxKeys") ?? DefaultMaxKeys,
            ["IsTruncated"] = page.Truncated,
            ["Contents"] = page.Items.Select(o => (object?)ObjectEntry(o, encode, owner: true)).ToList(),
            ["CommonPrefixes"] = page.Prefixes.Select(p => (object?)new Dictionary<string, object?> { ["Prefix"] = encode(p) }).ToList(),
        };
        if (delimiter is not null) output["Delimiter"] = encode(delimiter);
        if (input.ContainsKey("EncodingType")) output["EncodingType"] = "url";
        // NextMarker is returned only with a delimiter; without one clients resume after the last key.
        if (page.Truncated && delimiter is not null && page.LastKey is { } last) output["NextMarker"] = encode(last);
        return output;
    }

    private static Dictionary<string, object?> ObjectEntry(ObjectRecord o, Func<string, string> encode, bool owner)
    {
        var entry = new Dictionary<string, object?>
        {
            ["Key"] = encode(o.Key),
            ["LastModified"] = o.LastModified,
            ["ETag"] = o.ETag,
            ["Size"] = o.Size,
            ["StorageClass"] = o.StorageClass,
        };
        if (o.ChecksumAlgorithm is { } a)
        {
            entry["ChecksumAlgorithm"] = new List<object?> { a };
            entry["ChecksumType"] = o.ChecksumType ?? "FULL_OBJECT";
        }
        if (owner) entry["Owner"] = S3Owner.Of(o.Owner);
        return entry;
    }

    private Dictionary<string, object?> ListObjectVersions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var encode = Encoder(input);
        var max = MaxKeys(input);
        var prefix = input.GetString("Prefix") ?? "";
        var delimiter = input.GetString("Delimiter");
        var keyMarker = input.GetString("KeyMarker");
        var versionMarker = input.GetString("VersionIdMarker");
        if (versionMarker is not null && keyMarker is null)
            throw S3ObjectErrors.InvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", versionMarker);

        ListingPage<ObjectRecord> page;
        string? previousKey = null;
        if (bucket.Versioning is null)
        {
            page = WalkObjects(bucket.Name, prefix, delimiter, keyMarker, keyMarker, max);
            page = page with { Items = page.Items.Select(o => o with { VersionId = "null" }).ToList() };
        }
        else
        {
            string? resume = null;
            if (keyMarker is not null)
            {
                resume = keyMarker + ObjectStore.Separator + KeyListing.PastPrefix;
                if (versionMarker is not null)
                {
                    var marked = _objects.Version(bucket.Name, keyMarker, versionMarker);
                    if (marked is null && !IsVersionIdLike(versionMarker))
                        throw S3ObjectErrors.InvalidArgument("Invalid version id specified", "version-id-marker", versionMarker);
                    if (marked is not null)
                    {
                        resume = ObjectStore.VersionRow(marked);
                        previousKey = keyMarker;
                    }
                }
            }
            page = KeyListing.Walk((after, limit) => _objects.ListVersions(bucket.Name, prefix, after, limit), o => o.Key, ObjectStore.VersionRow,
                prefix, delimiter, resume, keyMarker, max);
        }

        var versions = new List<object?>();
        var markers = new List<object?>();
        // S3 interleaves Version and DeleteMarker elements in (key, newest first) order; SDKs that merge them rely on it.
        var documentOrder = new List<object?>(page.Items.Count);
        foreach (var v in page.Items)
        {
            // Versions of a key list newest first: the first one seen of each key is the latest.
            var isLatest = v.Key != previousKey;
            previousKey = v.Key;
            var entry = new Dictionary<string, object?>
            {
                ["Key"] = encode(v.Key),
                ["VersionId"] = v.VersionId ?? "null",
                ["IsLatest"] = isLatest,
                ["LastModified"] = v.LastModified,
                ["Owner"] = S3Owner.Of(v.Owner),
            };
            documentOrder.Add(v.IsDeleteMarker ? "DeleteMarkers" : "Versions");
            if (v.IsDeleteMarker)
            {
                markers.Add(entry);
                continue;
            }
            entry["ETag"] = v.ETag;
            entry["Size"] = v.Size;
            entry["StorageClass"] = v.StorageClass;
            if (v.ChecksumAlgorithm is { } a)
            {
                entry["ChecksumAlgorithm"] = new List<object?> { a };
                entry["ChecksumType"] = v.ChecksumType ?? "FULL_OBJECT";
            }
            versions.Add(entry);
        }
        var output = new Dictionary<string, object?>
        {
            ["Name"] = bucket.Name,
            ["Prefix"] = encode(prefix),
            ["KeyMarker"] = encode(keyMarker ?? ""),
            ["VersionIdMarker"] = versionMarker ?? "",
            ["MaxKeys"] = input.GetLong("MaxKeys") ?? DefaultMaxKeys,
            ["IsTruncated"] = page.Truncated,
            ["Versions"] = versions,
            ["DeleteMarkers"] = markers,
            [Nephele.Core.Protocols.Xml.XmlValueWriter.DocumentOrderKey] = documentOrder,
            ["CommonPrefixes"] = page.Prefixes.Select(p => (object?)new Dictionary<string, object?> { ["Prefix"] = encode(p) }).ToList(),
        };
        if (delimiter is not null) output["Delimiter"] = encode(delimiter);
        if (input.ContainsKey("EncodingType")) output["EncodingType"] = "url";
        if (page.Truncated && page.LastKey is { } last)
        {
            output["NextKeyMarker"] = encode(last);
            if (!page.LastWasPrefix) output["NextVersionIdMarker"] = page.Items[^1].VersionId ?? "null";
        }
        return output;
    }

    private Dictionary<string, object?> ListMultipartUploads(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var encode = Encoder(input);
        var max = MaxKeys(input, "MaxUploads", "max-uploads");
        var prefix = input.GetString("Prefix") ?? "";
        var delimiter = input.GetString("Delimiter");
        var keyMarker = input.GetString("KeyMarker");
        var uploadMarker = input.GetString("UploadIdMarker");
        string? resume = null;
        if (keyMarker is not null)
            resume = uploadMarker is null ? keyMarker + ObjectStore.Separator + KeyListing.PastPrefix : keyMarker + ObjectStore.Separator + uploadMarker;
        var page = KeyListing.Walk((after, limit) => _objects.ListUploads(bucket.Name, prefix, after, limit), u => u.Key, ObjectStore.UploadRow,
            prefix, delimiter, resume, keyMarker, max);
        var output = new Dictionary<string, object?>
        {
            ["Bucket"] = bucket.Name,
            ["Prefix"] = encode(prefix),
            ["KeyMarker"] = encode(keyMarker ?? ""),
            ["UploadIdMarker"] = uploadMarker ?? "",
            ["MaxUploads"] = input.GetLong("MaxUploads") ?? DefaultMaxKeys,
            ["IsTruncated"] = page.Truncated,
            ["Uploads"] = page.Items.Select(u => (object?)UploadEntry(u, encode)).ToList(),
            ["CommonPrefixes"] = page.Prefixes.Select(p => (object?)new Dictionary<string, object?> { ["Prefix"] = encode(p) }).ToList(),
        };
        if (delimiter is not null) output["Delimiter"] = encode(delimiter);
        if (input.ContainsKey("EncodingType")) output["EncodingType"] = "url";
        if (page.Truncated && page.LastKey is { } last)
        {
            output["NextKeyMarker"] = encode(last);
            if (!page.LastWasPrefix) output["NextUploadIdMarker"] = page.Items[^1].UploadId;
        }
        return output;
    }

    private static Dictionary<string, object?> UploadEntry(UploadRecord u, Func<string, string> encode)
    {
        var entry = new Dictionary<string, object?>
        {
            ["UploadId"] = u.UploadId,
            ["Key"] = encode(u.Key),
            ["Initiated"] = u.Initiated,
            ["StorageClass"] = u.Template.StorageClass,
            ["Owner"] = S3Owner.Of(u.Owner),
            ["Initiator"] = new Dictionary<string, object?> { ["ID"] = S3Owner.CanonicalId(u.Owner), ["DisplayName"] = "webfile" },
        };
        if (u.ChecksumAlgorithm is { } a) entry["ChecksumAlgorithm"] = a;
        if (u.ChecksumType is { } t) entry["ChecksumType"] = t;
        return entry;
    }
}
