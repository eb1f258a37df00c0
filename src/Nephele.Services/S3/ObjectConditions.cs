using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>HTTP conditional requests as S3 evaluates them (RFC 7232 with S3's precedence rules).</summary>
internal static class ObjectConditions
{
    /// <summary>
    /// GET/HEAD: If-Match and If-Unmodified-Since fail with 412 (a true If-Match overrides a false If-Unmodified-Since);
    /// If-None-Match and If-Modified-Since answer 304 (If-None-Match, when present, decides alone).
    /// </summary>
    public static void CheckRead(Dictionary<string, object?> input, ObjectRecord obj, DateTimeOffset now)
    {
        var ifMatch = input.GetString("IfMatch");
        var ifNoneMatch = input.GetString("IfNoneMatch");
        var ifModifiedSince = input.GetTimestamp("IfModifiedSince");
        var ifUnmodifiedSince = input.GetTimestamp("IfUnmodifiedSince");
        var lastModified = Seconds(obj.LastModified);

        if (ifMatch is not null && !Matches(ifMatch, obj.ETag))
            throw S3ObjectErrors.PreconditionFailed("If-Match");
        if (ifMatch is null && ifUnmodifiedSince is { } unmodified && lastModified > Seconds(unmodified))
            throw S3ObjectErrors.PreconditionFailed("If-Unmodified-Since");
        if (ifNoneMatch is not null)
        {
            if (Matches(ifNoneMatch, obj.ETag)) throw S3ObjectErrors.NotModified();
        }
        else if (ifModifiedSince is { } modified && modified <= now && lastModified <= Seconds(modified))
            throw S3ObjectErrors.NotModified();
    }

    /// <summary>x-amz-copy-source-if-*: the same rules, but every failure is 412.</summary>
    public static void CheckCopySource(Dictionary<string, object?> input, ObjectRecord source, DateTimeOffset now)
    {
        var ifMatch = input.GetString("CopySourceIfMatch");
        var ifNoneMatch = input.GetString("CopySourceIfNoneMatch");
        var ifModifiedSince = input.GetTimestamp("CopySourceIfModifiedSince");
        var ifUnmodifiedSince = input.GetTimestamp("CopySourceIfUnmodifiedSince");
        var lastModified = Seconds(source.LastModified);
        if (ifMatch is not null && !Matches(ifMatch, source.ETag))
            throw S3ObjectErrors.PreconditionFailed("x-amz-copy-source-If-Match");
        if (ifMatch is null && ifUnmodifiedSince is { } unmodified && lastModified > Seconds(unmodified))
            throw S3ObjectErrors.PreconditionFailed("x-amz-copy-source-If-Unmodified-Since");
        if (ifNoneMatch is not null)
        {
            if (Matches(ifNoneMatch, source.ETag)) throw S3ObjectErrors.PreconditionFailed("x-amz-copy-source-If-None-Match");
        }
        else if (ifModifiedSince is { } modified && modified <= now && lastModified <= Seconds(modified))
            throw S3ObjectErrors.PreconditionFailed("x-amz-copy-source-If-Modified-Since");
    }

    /// <summary>Validates conditional-write headers before the body is read: If-None-Match accepts only "*".</summary>
    public static void ValidateWrite(Dictionary<string, object?> input)
    {
        if (input.GetString("IfNoneMatch") is { } none && none.Trim() != "*")
            throw S3ObjectErrors.NotImplementedHeader("If-None-Match");
    }

    /// <summary>Conditional writes, checked against the current object inside the write's transaction.</summary>
    public static void CheckWrite(Dictionary<string, object?> input, ObjectRecord? current, string key)
    {
        if (input.GetString("IfNoneMatch") is not null && current is not null)
            throw S3ObjectErrors.PreconditionFailed("If-None-Match");
        if (input.GetString("IfMatch") is { } ifMatch)
        {
            if (current is null) throw S3ObjectErrors.NoSuchKey(key);
            if (!Matches(ifMatch, current.ETag)) throw S3ObjectErrors.PreconditionFailed("If-Match");
        }
    }

    /// <summary>Whether an ETag list ("*", quoted or bare, comma-separated) names the object's ETag.</summary>
    public static bool Matches(string header, string etag)
    {
        var bare = etag.Trim('"');
        foreach (var part in header.Split(','))
        {
            var p = part.Trim();
            if (p.StartsWith("W/", StringComparison.Ordinal)) p = p[2..];
            if (p == "*" || p.Trim('"') == bare) return true;
        }
        return false;
    }

    // Last-Modified travels with one-second precision, so conditions compare whole seconds.
    private static long Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds();
}
