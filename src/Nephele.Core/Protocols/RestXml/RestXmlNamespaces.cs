using System.Collections.Frozen;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.RestXml;

/// <summary>
/// What rest-xml models leave out but the services send: each service's XML namespace, and S3's names for
/// output root elements (clients that walk element paths, like the Java SDK v1, expect ListBucketResult,
/// not ListObjectsV2Output).
/// </summary>
internal static class RestXmlNamespaces
{
    private static readonly FrozenDictionary<string, string> S3Roots = new Dictionary<string, string>
    {
        ["ListBuckets"] = "ListAllMyBucketsResult",
        ["ListDirectoryBuckets"] = "ListAllMyDirectoryBucketsResult",
        ["ListObjects"] = "ListBucketResult",
        ["ListObjectsV2"] = "ListBucketResult",
        ["ListObjectVersions"] = "ListVersionsResult",
        ["ListMultipartUploads"] = "ListMultipartUploadsResult",
        ["ListParts"] = "ListPartsResult",
        ["CreateMultipartUpload"] = "InitiateMultipartUploadResult",
        ["CompleteMultipartUpload"] = "CompleteMultipartUploadResult",
        ["DeleteObjects"] = "DeleteResult",
        ["GetBucketAcl"] = "AccessControlPolicy",
        ["GetObjectAcl"] = "AccessControlPolicy",
        ["GetBucketTagging"] = "Tagging",
        ["GetObjectTagging"] = "Tagging",
        ["GetBucketVersioning"] = "VersioningConfiguration",
        ["GetBucketCors"] = "CORSConfiguration",
        ["GetBucketLifecycleConfiguration"] = "LifecycleConfiguration",
        ["GetBucketNotificationConfiguration"] = "NotificationConfiguration",
        ["GetBucketWebsite"] = "WebsiteConfiguration",
        ["GetBucketLogging"] = "BucketLoggingStatus",
        ["GetBucketAccelerateConfiguration"] = "AccelerateConfiguration",
        ["GetBucketRequestPayment"] = "RequestPaymentConfiguration",
        ["GetObjectAttributes"] = "GetObjectAttributesResponse",
        ["GetBucketReplication"] = "ReplicationConfiguration",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The namespace of the service's XML when its model names none on the root shape.</summary>
    public static string? Default(ServiceModel model) => model.Metadata.XmlNamespace ?? model.Metadata.ServiceId switch
    {
        "S3" => "http://s3.amazonaws.com/doc/2006-03-01/",
        "S3 Control" => "http://awss3control.amazonaws.com/doc/2018-08-20/",
        "Route 53" => "https://route53.amazonaws.com/doc/2013-04-01/",
        "CloudFront" => $"http://cloudfront.amazonaws.com/doc/{model.Metadata.ApiVersion}/",
        _ => null,
    };

    /// <summary>The service's own name for the root of an output without a payload member, when the model's shape name is not it.</summary>
    public static string? OutputRoot(ServiceModel model, OperationModel operation) =>
        model.Metadata.ServiceId == "S3" ? S3Roots.GetValueOrDefault(operation.Name) : null;
}
