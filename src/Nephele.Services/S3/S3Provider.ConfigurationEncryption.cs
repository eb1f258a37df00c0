using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Default encryption (every bucket has one: SSE-S3 unless configured, as in AWS since January 2023) and the
/// object lock configuration of buckets created with object lock.
/// </summary>
public sealed partial class S3Provider
{
    private const string EncryptionConfigName = "Encryption";
    private const string ObjectLockConfigName = "ObjectLock";

    private void RegisterEncryptionAndLock(OperationRegistry operations) => operations
        .On("PutBucketEncryption", PutBucketEncryption)
        .On("GetBucketEncryption", (ctx, input) => new()
        {
            ["ServerSideEncryptionConfiguration"] = _configs.Get(RequireBucket(ctx, input).Name, EncryptionConfigName) ?? DefaultEncryption(),
        })
        // Deleting the configuration puts the bucket back on the SSE-S3 default.
        .On("DeleteBucketEncryption", (ctx, input) =>
        {
            _configs.Delete(RequireBucket(ctx, input).Name, EncryptionConfigName);
            return [];
        })
        .On("PutObjectLockConfiguration", PutObjectLockConfiguration)
        .On("GetObjectLockConfiguration", GetObjectLockConfiguration);

    private static Dictionary<string, object?> DefaultEncryption() => new()
    {
        ["Rules"] = new List<object?>
        {
            new Dictionary<string, object?>
            {
                ["ApplyServerSideEncryptionByDefault"] = new Dictionary<string, object?> { ["SSEAlgorithm"] = "AES256" },
                ["BucketKeyEnabled"] = false,
            },
        },
    };

    private Dictionary<string, object?> PutBucketEncryption(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var doc = Payload(ctx, input);
        var rules = doc.GetList("Rules")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (rules.Count != 1) throw S3ConfigErrors.MalformedXml();
        var byDefault = rules[0].GetStruct("ApplyServerSideEncryptionByDefault") ?? throw S3ConfigErrors.MalformedXml();
        var algorithm = byDefault.GetString("SSEAlgorithm");
        if (algorithm is not ("AES256" or "aws:kms" or "aws:kms:dsse")) throw S3ConfigErrors.MalformedXml();
        if (algorithm == "AES256" && byDefault.GetString("KMSMasterKeyID") is not null)
            throw S3ConfigErrors.InvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
        _configs.Put(bucket.Name, EncryptionConfigName, doc);
        return [];
    }

    private Dictionary<string, object?> PutObjectLockConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        if (!bucket.ObjectLockEnabled)
            throw S3ConfigErrors.InvalidBucketState("Object Lock configuration cannot be enabled on existing buckets");
        var doc = Payload(ctx, input);
        if (doc.GetString("ObjectLockEnabled") != "Enabled") throw S3ConfigErrors.MalformedXml();
        if (doc.GetStruct("Rule") is { } rule)
        {
            var retention = rule.GetStruct("DefaultRetention") ?? throw S3ConfigErrors.MalformedXml();
            if (retention.GetString("Mode") is not ("GOVERNANCE" or "COMPLIANCE")) throw S3ConfigErrors.MalformedXml();
            var days = retention.GetLong("Days");
            var years = retention.GetLong("Years");
            if ((days is null) == (years is null)) throw S3ConfigErrors.MalformedXml();
            if ((days ?? years) <= 0) throw S3ConfigErrors.InvalidArgument("Default retention period must be a positive integer value.");
        }
        _configs.Put(bucket.Name, ObjectLockConfigName, doc);
        return [];
    }

    private Dictionary<string, object?> GetObjectLockConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        if (!bucket.ObjectLockEnabled) throw S3ConfigErrors.ObjectLockNotFound();
        return new()
        {
            ["ObjectLockConfiguration"] = _configs.Get(bucket.Name, ObjectLockConfigName) ?? new Dictionary<string, object?> { ["ObjectLockEnabled"] = "Enabled" },
        };
    }
}
