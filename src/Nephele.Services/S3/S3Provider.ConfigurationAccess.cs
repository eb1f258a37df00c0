using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Who may reach a bucket: its ACL, its public access block and its object ownership controls. New buckets
/// have what AWS gives them today: ownership BucketOwnerEnforced (ACLs disabled), every public access block
/// setting on, and an ACL granting the owner FULL_CONTROL. Enforcement comes with IAM enforcement.
/// </summary>
public sealed partial class S3Provider
{
    private const string AclConfigName = "Acl";
    private const string PublicAccessBlockConfigName = "PublicAccessBlock";
    // Marks a bucket whose default public access block or ownership controls were deleted.
    private const string PublicAccessBlockDeleted = "PublicAccessBlockDeleted";
    private const string OwnershipControlsDeleted = "OwnershipControlsDeleted";

    private static readonly string[] PublicAccessBlockSettings = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

    private void RegisterAccessControl(OperationRegistry operations) => operations
        .On("GetBucketAcl", (ctx, input) => BucketAcl(RequireBucket(ctx, input)))
        .On("PutBucketAcl", PutBucketAcl)
        .On("PutPublicAccessBlock", PutPublicAccessBlock)
        .On("GetPublicAccessBlock", (ctx, input) => new()
        {
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(RequireBucket(ctx, input).Name) ?? throw S3ConfigErrors.NoSuchPublicAccessBlock(),
        })
        .On("DeletePublicAccessBlock", (ctx, input) =>
        {
            var bucket = RequireBucket(ctx, input);
            _configs.Delete(bucket.Name, PublicAccessBlockConfigName);
            _configs.Put(bucket.Name, PublicAccessBlockDeleted, []);
            return [];
        })
        .On("PutBucketOwnershipControls", PutBucketOwnershipControls)
        .On("GetBucketOwnershipControls", GetBucketOwnershipControls)
        .On("DeleteBucketOwnershipControls", DeleteBucketOwnershipControls);

    /// <summary>The bucket's ACL (Owner and Grants) as stored, or the owner's FULL_CONTROL a new bucket has.</summary>
    internal Dictionary<string, object?> BucketAcl(BucketRecord bucket) =>
        _configs.Get(bucket.Name, AclConfigName) ?? new()
        {
            ["Owner"] = S3Owner.Of(bucket.Owner),
            ["Grants"] = new List<object?> { AclGrants.Grant(AclGrants.CanonicalUser(bucket.Owner), "FULL_CONTROL") },
        };

    private Dictionary<string, object?> PutBucketAcl(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var grants = AclGrants.FromRequest(input, bucket.Owner, out var owner);
        if (bucket.ObjectOwnership == "BucketOwnerEnforced" && !AclGrants.OnlyOwnerFullControl(grants, bucket.Owner))
            throw S3ConfigErrors.AccessControlListNotSupported();
        if (AclGrants.IsPublic(grants) && PublicAccessBlock(bucket.Name)?.GetBool("BlockPublicAcls") == true)
            throw S3ConfigErrors.BlockedByPublicAccessBlock();
        _configs.Put(bucket.Name, AclConfigName, new() { ["Owner"] = owner ?? S3Owner.Of(bucket.Owner), ["Grants"] = grants.Cast<object?>().ToList() });
        return [];
    }

    /// <summary>The bucket's public access block, with every setting present, or null when it has none.</summary>
    internal Dictionary<string, object?>? PublicAccessBlock(string bucket)
    {
        if (_configs.Get(bucket, PublicAccessBlockConfigName) is { } stored) return stored;
        return _configs.Exists(bucket, PublicAccessBlockDeleted) ? null : PublicAccessBlockSettings.ToDictionary(s => s, _ => (object?)true);
    }

    private Dictionary<string, object?> PutPublicAccessBlock(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var doc = input.GetStruct("PublicAccessBlockConfiguration") ?? throw S3ConfigErrors.InvalidRequest("Must specify at least one configuration.");
        // Settings left out are off, and Get names all four.
        var settings = PublicAccessBlockSettings.ToDictionary(s => s, s => (object?)(doc.GetBool(s) ?? false));
        _configs.Put(bucket.Name, PublicAccessBlockConfigName, settings);
        _configs.Delete(bucket.Name, PublicAccessBlockDeleted);
        return [];
    }

    private Dictionary<string, object?> PutBucketOwnershipControls(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var rules = Payload(ctx, input).GetList("Rules")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (rules.Count != 1 || rules[0].GetString("ObjectOwnership") is not ("BucketOwnerPreferred" or "ObjectWriter" or "BucketOwnerEnforced"))
            throw S3ConfigErrors.MalformedXml();
        var ownership = rules[0].GetString("ObjectOwnership")!;
        if (ownership == "BucketOwnerEnforced"
            && !AclGrants.OnlyOwnerFullControl(BucketAcl(bucket).GetList("Grants")!.OfType<Dictionary<string, object?>>().ToList(), bucket.Owner))
            throw new AwsException("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
        _buckets.Put(bucket with { ObjectOwnership = ownership });
        _configs.Delete(bucket.Name, OwnershipControlsDeleted);
        return [];
    }

    private Dictionary<string, object?> GetBucketOwnershipControls(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        if (_configs.Exists(bucket.Name, OwnershipControlsDeleted)) throw S3ConfigErrors.OwnershipControlsNotFound();
        return new()
        {
            ["OwnershipControls"] = new Dictionary<string, object?>
            {
                ["Rules"] = new List<object?> { new Dictionary<string, object?> { ["ObjectOwnership"] = bucket.ObjectOwnership } },
            },
        };
    }

    private Dictionary<string, object?> DeleteBucketOwnershipControls(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        // Without ownership controls a bucket behaves as ObjectWriter: ACLs apply.
        _buckets.Put(bucket with { ObjectOwnership = "ObjectWriter" });
        _configs.Put(bucket.Name, OwnershipControlsDeleted, []);
        return [];
    }
}
