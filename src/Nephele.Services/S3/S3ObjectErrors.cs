using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>Errors of S3's object operations, worded as AWS words them.</summary>
internal static class S3ObjectErrors
{
    public static AwsException NoSuchKey(string key) => With(new("NoSuchKey", "The specified key does not exist.", 404), "Key", key);

    public static AwsException NoSuchVersion(string key, string versionId) =>
        With(With(new("NoSuchVersion", "The specified version does not exist.", 404), "Key", key), "VersionId", versionId);

    public static AwsException InvalidVersionId(string versionId) =>
        With(With(new("InvalidArgument", "Invalid version id specified", 400), "ArgumentName", "versionId"), "ArgumentValue", versionId);

    public static AwsException NoSuchUpload(string uploadId) =>
        With(new("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404),
            "UploadId", uploadId);

    public static AwsException PreconditionFailed(string condition) =>
        With(new("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412), "Condition", condition);

    public static AwsException NotModified() => new("NotModified", "Not Modified", 304);

    public static AwsException InvalidRange(long size, string range) =>
        With(With(new("InvalidRange", "The requested range is not satisfiable", 416), "RangeRequested", range), "ActualObjectSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static AwsException BadDigest(string message) => new("BadDigest", message, 400);

    public static AwsException InvalidDigest() => new("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);

    public static AwsException InvalidRequest(string message) => new("InvalidRequest", message, 400);

    public static AwsException InvalidArgument(string message, string name, string? value) => S3Errors.InvalidArgument(message, name, value);

    public static AwsException KeyTooLong() => new("KeyTooLongError", "Your key is too long", 400);

    public static AwsException MethodNotAllowed() => new("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);

    public static AwsException BucketNotEmpty(string bucket) =>
        With(new("BucketNotEmpty", "The bucket you tried to delete is not empty", 409), "BucketName", bucket);

    public static AwsException MalformedXml() =>
        new("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400);

    public static AwsException EntityTooSmall() => new("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400);

    public static AwsException EntityTooLarge() => new("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400);

    public static AwsException InvalidPart() =>
        new("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);

    public static AwsException InvalidPartOrder() =>
        new("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.", 400);

    public static AwsException AccessControlListNotSupported() =>
        new("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);

    public static AwsException NotImplementedHeader(string header) =>
        With(new("NotImplemented", "A header you provided implies functionality that is not implemented", 501), "Header", header);

    public static AwsException With(AwsException error, string name, string value)
    {
        error.Fields[name] = value;
        return error;
    }
}
