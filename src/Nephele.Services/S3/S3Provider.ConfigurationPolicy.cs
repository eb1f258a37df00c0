using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>The bucket policy: validated (<see cref="BucketPolicyRules"/>), stored as sent and returned byte for byte.</summary>
public sealed partial class S3Provider
{
    private const string PolicyConfigName = "Policy";

    private void RegisterPolicy(OperationRegistry operations) => operations
        .On("PutBucketPolicy", PutBucketPolicy)
        .On("GetBucketPolicy", (ctx, input) => new() { ["Policy"] = StoredPolicy(RequireBucket(ctx, input).Name) })
        .On("GetBucketPolicyStatus", (ctx, input) => new()
        {
            ["PolicyStatus"] = new Dictionary<string, object?> { ["IsPublic"] = BucketPolicyRules.IsPublic(StoredPolicy(RequireBucket(ctx, input).Name)) },
        })
        .On("DeleteBucketPolicy", (ctx, input) =>
        {
            _configs.Delete(RequireBucket(ctx, input).Name, PolicyConfigName);
            return [];
        });

    private Dictionary<string, object?> PutBucketPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var policy = input.GetString("Policy") ?? throw S3ConfigErrors.MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
        BucketPolicyRules.Validate(policy, bucket.Name);
        if (BucketPolicyRules.IsPublic(policy) && PublicAccessBlock(bucket.Name)?.GetBool("BlockPublicPolicy") == true)
            throw S3ConfigErrors.BlockedByPublicAccessBlock();
        _configs.Put(bucket.Name, PolicyConfigName, new() { ["Policy"] = policy });
        return [];
    }

    private string StoredPolicy(string bucket) =>
        _configs.Get(bucket, PolicyConfigName)?.GetString("Policy") ?? throw S3ConfigErrors.NoSuchBucketPolicy();

    /// <summary>The bucket policy as stored, or null (for IAM enforcement later).</summary>
    internal string? BucketPolicy(string bucket) => _configs.Get(bucket, PolicyConfigName)?.GetString("Policy");
}
