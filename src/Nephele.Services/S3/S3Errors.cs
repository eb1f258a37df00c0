using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>S3's error codes, statuses and messages, as AWS words them.</summary>
internal static class S3Errors
{
    public static AwsException NoSuchBucket(string bucket) =>
        WithField(new("NoSuchBucket", "The specified bucket does not exist", 404), "BucketName", bucket);

    public static AwsException InvalidBucketName(string bucket) =>
        WithField(new("InvalidBucketName", "The specified bucket is not valid.", 400), "BucketName", bucket);

    public static AwsException BucketAlreadyExists(string bucket) =>
        WithField(new("BucketAlreadyExists",
            "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
            409), "BucketName", bucket);

    public static AwsException BucketAlreadyOwnedByYou(string bucket) =>
        WithField(new("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409),
            "BucketName", bucket);

    public static AwsException InvalidLocationConstraint(string constraint) =>
        WithField(new("InvalidLocationConstraint", "The specified location-constraint is not valid", 400), "LocationConstraint", constraint);

    public static AwsException AccessDenied() => new("AccessDenied", "Access Denied", 403);

    public static AwsException InvalidArgument(string message, string name, string? value) =>
        WithField(WithField(new("InvalidArgument", message, 400), "ArgumentName", name), "ArgumentValue", value ?? "");

    private static AwsException WithField(AwsException error, string name, string value)
    {
        error.Fields[name] = value;
        return error;
    }
}
