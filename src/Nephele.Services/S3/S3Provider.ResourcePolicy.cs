using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// For --enforce-iam: S3 requests act on buckets (arn:aws:s3:::bucket) and objects (arn:aws:s3:::bucket/key) under the
/// bucket's policy, which may grant other accounts and, with "Principal": "*", anonymous callers. What each operation
/// needs is <see cref="S3Authorization"/>; this adds what only the stored state knows.
/// </summary>
public sealed partial class S3Provider : IResourcePolicySource
{
    private static readonly AuthorizationTarget ListAllMyBuckets = new("*") { Action = "s3:ListAllMyBuckets", QuoteResourceInMessage = true };

    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (context.Operation.Name == "ListBuckets") return [ListAllMyBuckets];
        var accesses = S3Authorization.AccessesOf(context.Operation.Name, input, header =>
        {
            try
            {
                var source = ParseCopySource(header);
                return (source.Bucket, source.Key, source.VersionId);
            }
            catch (AwsException)
            {
                return null; // A malformed copy source is the handler's error to report.
            }
        });
        if (accesses.Count == 0) return [];
        var targets = new List<AuthorizationTarget>(accesses.Count);
        // One bucket lookup per bucket (DeleteObjects names many keys of one bucket).
        var buckets = new Dictionary<string, (string? Owner, PolicyDocument? Policy)>(StringComparer.Ordinal);
        foreach (var access in accesses)
        {
            if (!buckets.TryGetValue(access.Bucket, out var bucket))
            {
                var record = _buckets.Get(access.Bucket);
                var text = record is null ? null : BucketPolicy(record.Name);
                buckets[access.Bucket] = bucket = (record?.Owner, text is null ? null : PolicyDocument.TryParse(text, out _));
            }
            if (access.ReadsExistingObject && access.Key is not null && bucket.Owner is not null)
            {
                var existing = access.VersionId is null ? _objects.Current(access.Bucket, access.Key) : _objects.Version(access.Bucket, access.Key, access.VersionId);
                access.Keys.Prefixed("s3:ExistingObjectTag/", existing?.Tags);
            }
            var arn = access.Key is null ? $"arn:aws:s3:::{access.Bucket}" : $"arn:aws:s3:::{access.Bucket}/{access.Key}";
            targets.Add(new AuthorizationTarget(arn, bucket.Policy, bucket.Owner)
            {
                Action = access.Action,
                Context = access.Keys.Build(),
                QuoteResourceInMessage = true,
            });
        }
        return targets;
    }
}
