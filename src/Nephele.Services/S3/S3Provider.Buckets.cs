using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private const string DefaultRegion = "us-east-1";

    private void RegisterBuckets(OperationRegistry operations) => operations
        .On("CreateBucket", CreateBucket)
        .On("HeadBucket", HeadBucket)
        .On("ListBuckets", ListBuckets)
        .On("GetBucketLocation", GetBucketLocation);

    private Dictionary<string, object?> CreateBucket(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Bucket");
        if (!BucketNames.IsValid(name))
            throw S3Errors.InvalidBucketName(name);
        var region = LocationFor(ctx, input.GetStruct("CreateBucketConfiguration")?.GetString("LocationConstraint"));
        var bucket = new BucketRecord
        {
            Name = name,
            Owner = ctx.AccountId,
            Region = region,
            CreationDate = ctx.Now,
            ObjectOwnership = input.GetString("ObjectOwnership") ?? "BucketOwnerEnforced",
            ObjectLockEnabled = input.GetBool("ObjectLockEnabledForBucket") ?? false,
        };
        // Object Lock needs versioning: a bucket created with it starts versioned.
        if (bucket.ObjectLockEnabled) bucket = bucket with { Versioning = "Enabled" };
        var acl = CreateBucketAcl(bucket, input);
        if (_buckets.TryAdd(bucket))
        {
            if (acl is not null) _configs.Put(name, AclConfigName, acl);
        }
        else
        {
            var existing = _buckets.Get(name)!;
            if (existing.Owner != ctx.AccountId)
                throw S3Errors.BucketAlreadyExists(name);
            // For legacy compatibility, re-creating a bucket you own in us-east-1 answers 200 OK.
            if (existing.Region != DefaultRegion || region != DefaultRegion)
                throw S3Errors.BucketAlreadyOwnedByYou(name);
        }
        return new() { ["Location"] = "/" + name, ["BucketArn"] = BucketArn(name) };
    }

    /// <summary>
    /// The ACL a CreateBucket request sets with x-amz-acl or x-amz-grant-* headers, or null when it sets none. With ACLs
    /// disabled (BucketOwnerEnforced, the default) only one that gives the owner full control is accepted.
    /// </summary>
    private static Dictionary<string, object?>? CreateBucketAcl(BucketRecord bucket, Dictionary<string, object?> input)
    {
        if (input.GetString("ACL") is null && !GrantMembers.Any(input.ContainsKey)) return null;
        var grants = AclGrants.FromRequest(input, bucket.Owner, out _);
        if (bucket.ObjectOwnership == "BucketOwnerEnforced" && !AclGrants.OnlyOwnerFullControl(grants, bucket.Owner))
            throw new AwsException("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
        return new() { ["Owner"] = S3Owner.Of(bucket.Owner), ["Grants"] = grants.Cast<object?>().ToList() };
    }

    /// <summary>The region a new bucket goes to: the LocationConstraint, which must name the endpoint's own region
    /// (absent means us-east-1, and only the us-east-1 endpoint accepts that).</summary>
    private static string LocationFor(RequestContext ctx, string? constraint)
    {
        if (constraint is null or "")
        {
            if (ctx.Region != DefaultRegion)
                throw new AwsException("IllegalLocationConstraintException",
                    "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
            return DefaultRegion;
        }
        if (constraint == DefaultRegion)
            throw S3Errors.InvalidLocationConstraint(constraint);
        // "EU" is the legacy name of eu-west-1.
        var region = constraint == "EU" ? "eu-west-1" : constraint;
        if (region != ctx.Region)
            throw new AwsException("IllegalLocationConstraintException",
                $"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.");
        return region;
    }

    private Dictionary<string, object?> HeadBucket(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        return new()
        {
            ["BucketArn"] = BucketArn(bucket.Name),
            ["BucketRegion"] = bucket.Region,
            ["AccessPointAlias"] = false,
        };
    }

    private Dictionary<string, object?> ListBuckets(RequestContext ctx, Dictionary<string, object?> input)
    {
        var max = input.GetInt("MaxBuckets") ?? 10000;
        if (max is < 1 or > 10000)
            throw S3Errors.InvalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", max.ToString());
        var after = PageToken.Resume(input.GetString("ContinuationToken"),
            () => S3Errors.InvalidArgument("The continuation token provided is incorrect", "continuation-token", input.GetString("ContinuationToken")));
        var prefix = input.GetString("Prefix") ?? "";
        var regionFilter = input.GetString("BucketRegion");
        var matching = _buckets.OwnedBy(ctx.AccountId)
            .Where(b => b.Name.StartsWith(prefix, StringComparison.Ordinal) && (regionFilter is null || b.Region == regionFilter))
            .Where(b => after is null || string.CompareOrdinal(b.Name, after) > 0)
            .Take(max + 1)
            .ToList();
        var page = matching.Take(max).ToList();
        var output = new Dictionary<string, object?>
        {
            ["Buckets"] = page.Select(b => (object?)new Dictionary<string, object?>
            {
                ["Name"] = b.Name,
                ["CreationDate"] = b.CreationDate,
                ["BucketRegion"] = b.Region,
                ["BucketArn"] = BucketArn(b.Name),
            }).ToList(),
            ["Owner"] = S3Owner.Of(ctx.AccountId),
        };
        if (input.ContainsKey("Prefix")) output["Prefix"] = prefix;
        if (matching.Count > max) output["ContinuationToken"] = PageToken.After(page[^1].Name);
        return output;
    }

    private Dictionary<string, object?> GetBucketLocation(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        // us-east-1 buckets report an empty constraint.
        return new() { ["LocationConstraint"] = bucket.Region == DefaultRegion ? null : bucket.Region };
    }

    /// <summary>The bucket the request names, checked against x-amz-expected-bucket-owner; NoSuchBucket when absent.</summary>
    private BucketRecord RequireBucket(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Bucket");
        var bucket = _buckets.Get(name) ?? throw S3Errors.NoSuchBucket(name);
        if (input.GetString("ExpectedBucketOwner") is { } expected && expected != bucket.Owner)
            throw S3Errors.AccessDenied();
        return bucket;
    }

    private static string BucketArn(string name) => "arn:aws:s3:::" + name;
}
