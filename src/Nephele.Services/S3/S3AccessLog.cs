using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>Where a bucket's server access logs go, read from its logging configuration.</summary>
internal sealed record AccessLogTarget(string Bucket, string Prefix, bool Partitioned);

/// <summary>One record waiting to be written: the source bucket's identity and the formatted line.</summary>
internal sealed record AccessLogLine(string SourceBucket, string SourceAccount, string SourceRegion, AccessLogTarget Target, string Line);

/// <summary>
/// Server access log records in AWS's format (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html):
/// space-separated fields, "-" for an empty one, quoted request line, referrer and user agent.
/// </summary>
internal static class S3AccessLog
{
    public static AccessLogTarget? TargetOf(Dictionary<string, object?>? loggingEnabled)
    {
        if (loggingEnabled?.GetString("TargetBucket") is not { Length: > 0 } bucket) return null;
        var partitioned = loggingEnabled.GetStruct("TargetObjectKeyFormat")?.GetStruct("PartitionedPrefix") is not null;
        return new AccessLogTarget(bucket, loggingEnabled.GetString("TargetPrefix") ?? "", partitioned);
    }

    /// <summary>The log object's key: SimplePrefix "[prefix]YYYY-mm-DD-HH-MM-SS-UniqueString", PartitionedPrefix adds account/region/bucket/date folders.</summary>
    public static string ObjectKey(AccessLogLine first, DateTimeOffset now)
    {
        var t = now.UtcDateTime;
        var unique = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var name = t.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture) + "-" + unique;
        var target = first.Target;
        if (!target.Partitioned) return target.Prefix + name;
        return $"{target.Prefix}{first.SourceAccount}/{first.SourceRegion}/{first.SourceBucket}/{t:yyyy}/{t:MM}/{t:dd}/{name}";
    }

    /// <summary>AWS's operation field: REST.&lt;HTTP method&gt;.&lt;resource type&gt;.</summary>
    public static string Operation(string name, string method) => name switch
    {
        "CopyObject" => "REST.COPY.OBJECT",
        "UploadPartCopy" => "REST.COPY.PART",
        "DeleteObjects" => "REST.POST.MULTI_OBJECT_DELETE",
        "CreateMultipartUpload" => "REST.POST.UPLOADS",
        "CompleteMultipartUpload" => "REST.POST.UPLOAD",
        "AbortMultipartUpload" => "REST.DELETE.UPLOAD",
        "ListParts" => "REST.GET.UPLOAD",
        "UploadPart" => "REST.PUT.PART",
        "ListMultipartUploads" => "REST.GET.UPLOADS",
        _ => $"REST.{method.ToUpperInvariant()}.{Resource(name)}",
    };

    private static string Resource(string name) => name switch
    {
        "PutObject" or "GetObject" or "HeadObject" or "DeleteObject" or "GetObjectAttributes" => "OBJECT",
        "ListObjects" or "ListObjectsV2" or "HeadBucket" or "CreateBucket" or "DeleteBucket" => "BUCKET",
        "ListObjectVersions" => "BUCKETVERSIONS",
        "GetObjectAcl" or "PutObjectAcl" or "GetBucketAcl" or "PutBucketAcl" => "ACL",
        "GetObjectTagging" or "PutObjectTagging" or "DeleteObjectTagging" => "OBJECT_TAGGING",
        "GetBucketVersioning" or "PutBucketVersioning" => "VERSIONING",
        "GetBucketLogging" or "PutBucketLogging" => "LOGGING_STATUS",
        "GetBucketPolicy" or "PutBucketPolicy" or "DeleteBucketPolicy" => "BUCKETPOLICY",
        "GetBucketNotificationConfiguration" or "PutBucketNotificationConfiguration" => "NOTIFICATION",
        "GetBucketLifecycleConfiguration" or "PutBucketLifecycleConfiguration" or "DeleteBucketLifecycle" => "LIFECYCLE",
        "GetBucketLocation" => "LOCATION",
        _ => Strip(name).ToUpperInvariant(),
    };

    private static string Strip(string name)
    {
        foreach (var verb in (string[])["Get", "Put", "Delete", "List", "Head"])
            if (name.StartsWith(verb, StringComparison.Ordinal)) name = name[verb.Length..];
        return name.StartsWith("Bucket", StringComparison.Ordinal) && name.Length > 6 ? name[6..] : name;
    }

    /// <summary>One record; <paramref name="fields"/> is in AWS's field order, null written as "-".</summary>
    public static string Format(params string?[] fields)
    {
        var sb = new StringBuilder(256);
        foreach (var field in fields)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(string.IsNullOrEmpty(field) ? "-" : field);
        }
        return sb.Append('\n').ToString();
    }

    public static string Quoted(string? value) => "\"" + (string.IsNullOrEmpty(value) ? "-" : value.Replace("\"", "\\\"", StringComparison.Ordinal)) + "\"";

    public static string Time(DateTimeOffset time) =>
        "[" + time.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture) + " +0000]";
}
