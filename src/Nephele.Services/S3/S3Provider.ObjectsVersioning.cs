using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private void RegisterVersioning(OperationRegistry operations) => operations
        .On("PutBucketVersioning", PutBucketVersioning)
        .On("GetBucketVersioning", GetBucketVersioning);

    private Dictionary<string, object?> PutBucketVersioning(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var config = input.GetStruct("VersioningConfiguration") ?? throw S3ObjectErrors.MalformedXml();
        var status = config.GetString("Status");
        var mfa = config.GetString("MFADelete");
        if (status is not ("Enabled" or "Suspended") && status is not null) throw S3ObjectErrors.MalformedXml();
        if (mfa is not (null or "Enabled" or "Disabled")) throw S3ObjectErrors.MalformedXml();
        if (mfa == "Enabled" && input.GetString("MFA") is null)
            throw S3ObjectErrors.InvalidRequest("The x-amz-mfa header must be specified when enabling MFA Delete.");
        if (status == "Suspended" && bucket.ObjectLockEnabled)
            throw new AwsException("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", 409);
        if (status is null) return [];
        _objects.Transaction(() =>
        {
            var current = _buckets.Get(bucket.Name) ?? throw S3Errors.NoSuchBucket(bucket.Name);
            // The first time versioning is configured, the objects already there become their keys' null versions.
            if (current.Versioning is null) MigrateToNullVersions(bucket.Name);
            _buckets.Put(current with { Versioning = status, MfaDelete = mfa ?? current.MfaDelete });
            return 0;
        });
        return [];
    }

    private void MigrateToNullVersions(string bucket)
    {
        string? after = null;
        while (true)
        {
            var batch = _objects.ListCurrent(bucket, "", after, 1000);
            foreach (var obj in batch)
            {
                var version = obj with { VersionId = "null", Sort = _objects.NewSort() };
                _objects.PutVersion(bucket, version);
                _objects.PutCurrent(bucket, version);
            }
            if (batch.Count < 1000) return;
            after = batch[^1].Key;
        }
    }

    private Dictionary<string, object?> GetBucketVersioning(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var output = new Dictionary<string, object?>();
        if (bucket.Versioning is { } status) output["Status"] = status;
        if (bucket.MfaDelete is { } mfa) output["MFADelete"] = mfa;
        return output;
    }
}
