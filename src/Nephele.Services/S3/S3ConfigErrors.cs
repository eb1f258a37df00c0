using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Services.S3;

/// <summary>The errors of bucket configuration documents, as AWS words them.</summary>
internal static class S3ConfigErrors
{
    public static AwsException MalformedXml() => XmlValueReader.MalformedXml();

    public static AwsException InvalidRequest(string message) => new("InvalidRequest", message, 400);

    public static AwsException InvalidArgument(string message) => new("InvalidArgument", message, 400);

    public static AwsException InvalidTag(string message) => new("InvalidTag", message, 400);

    public static AwsException MalformedPolicy(string message) => new("MalformedPolicy", message, 400);

    public static AwsException NoSuchTagSet() => new("NoSuchTagSet", "The TagSet does not exist", 404);

    public static AwsException NoSuchCorsConfiguration() => new("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404);

    public static AwsException NoSuchLifecycleConfiguration() => new("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404);

    public static AwsException NoSuchWebsiteConfiguration() =>
        new("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", 404);

    public static AwsException NoSuchBucketPolicy() => new("NoSuchBucketPolicy", "The bucket policy does not exist", 404);

    public static AwsException EncryptionNotFound() =>
        new("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", 404);

    public static AwsException NoSuchPublicAccessBlock() =>
        new("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 404);

    public static AwsException OwnershipControlsNotFound() =>
        new("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404);

    public static AwsException ReplicationNotFound() =>
        new("ReplicationConfigurationNotFoundError", "The replication configuration was not found", 404);

    public static AwsException ObjectLockNotFound() =>
        new("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404);

    public static AwsException NoSuchConfiguration() => new("NoSuchConfiguration", "The specified configuration does not exist.", 404);

    public static AwsException AccessControlListNotSupported() =>
        new("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);

    public static AwsException InvalidBucketState(string message) => new("InvalidBucketState", message, 409);

    /// <summary>A write refused by the bucket's public access block (BlockPublicPolicy, BlockPublicAcls).</summary>
    public static AwsException BlockedByPublicAccessBlock() => new("AccessDenied", "Access Denied", 403);
}
