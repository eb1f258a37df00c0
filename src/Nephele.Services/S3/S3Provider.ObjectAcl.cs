using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Object ACLs: a canned ACL (stored by name) or explicit grants from x-amz-grant-* headers or an AccessControlPolicy
/// document (stored grant by grant and returned exactly), on PutObjectAcl and on the writes that create objects
/// (PutObject, CopyObject, CreateMultipartUpload). With ACLs disabled (BucketOwnerEnforced) only the bucket owner's
/// FULL_CONTROL may be set; Block Public Access's BlockPublicAcls refuses ACLs that grant everyone.
/// </summary>
public sealed partial class S3Provider
{
    private static readonly string[] GrantMembers = ["GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"];

    private Dictionary<string, object?> GetObjectAcl(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var obj = ReadableObject(bucket, RequireKey(input), input.GetString("VersionId"));
        var output = new Dictionary<string, object?>
        {
            ["Owner"] = S3Owner.Of(ObjectOwner(bucket, obj)),
            ["Grants"] = ObjectGrants(bucket, obj).Cast<object?>().ToList(),
        };
        if (obj.VersionId is { } v && bucket.Versioning is not null) output["VersionId"] = v;
        return output;
    }

    private Dictionary<string, object?> PutObjectAcl(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var key = RequireKey(input);
        var canned = input.GetString("ACL");
        if (canned is null && !input.ContainsKey("AccessControlPolicy") && !GrantMembers.Any(input.ContainsKey)) throw S3ObjectErrors.MalformedXml();
        if (canned is not null && !CannedObjectAcls.Contains(canned)) throw S3ObjectErrors.InvalidArgument("", "x-amz-acl", canned);
        var grants = canned is not null && !GrantMembers.Any(input.ContainsKey) && !input.ContainsKey("AccessControlPolicy")
            ? null
            : AclGrants.FromRequest(input, bucket.Owner, out _);
        // With ACLs disabled only an ACL that gives the bucket owner full control (and nobody anything) is accepted.
        if (bucket.ObjectOwnership == "BucketOwnerEnforced"
            && (grants is not null ? !AclGrants.OnlyOwnerFullControl(grants, bucket.Owner) : canned != "bucket-owner-full-control" && canned != "private"))
            throw S3ObjectErrors.AccessControlListNotSupported();
        CheckPublicAcl(bucket, canned, grants);
        var stored = grants?.Select(ToStored).ToList();
        var updated = UpdateObject(ctx, bucket, key, input.GetString("VersionId"), o => o with { Acl = stored is null ? canned : null, Grants = stored });
        return updated.VersionId is { } v ? new() { ["VersionId"] = v } : [];
    }

    /// <summary>
    /// The grants of x-amz-grant-* headers on a write that creates an object (the canned ACL, if any, is <see cref="ObjectAcl"/>'s);
    /// null when there are none. Refuses public ACLs the bucket's Block Public Access blocks.
    /// </summary>
    private List<ObjectGrant>? GrantHeaders(BucketRecord bucket, Dictionary<string, object?> input)
    {
        var canned = input.GetString("ACL");
        var headers = false;
        foreach (var member in GrantMembers) headers |= input.ContainsKey(member);
        if (!headers)
        {
            if (canned is "public-read" or "public-read-write" or "authenticated-read") CheckPublicAcl(bucket, canned, null);
            return null;
        }
        var grants = AclGrants.FromRequest(input, bucket.Owner, out _);
        CheckPublicAcl(bucket, canned, grants);
        return grants.Select(ToStored).ToList();
    }

    /// <summary>BlockPublicAcls: a request whose ACL grants AllUsers or AuthenticatedUsers anything is refused.</summary>
    private void CheckPublicAcl(BucketRecord bucket, string? canned, List<Dictionary<string, object?>>? grants)
    {
        var isPublic = grants is not null ? AclGrants.IsPublic(grants) : canned is "public-read" or "public-read-write" or "authenticated-read";
        if (isPublic && PublicAccessBlock(bucket.Name)?.GetBool("BlockPublicAcls") == true) throw S3ConfigErrors.BlockedByPublicAccessBlock();
    }

    /// <summary>Who owns an object: its writer when the bucket's ownership is ObjectWriter, else the bucket owner.</summary>
    private static string ObjectOwner(BucketRecord bucket, ObjectRecord obj) => bucket.ObjectOwnership == "ObjectWriter" ? obj.Owner : bucket.Owner;

    /// <summary>An object's ACL as Grant structures: its explicit grants, or those its canned ACL stands for.</summary>
    private static List<Dictionary<string, object?>> ObjectGrants(BucketRecord bucket, ObjectRecord obj)
    {
        var owner = ObjectOwner(bucket, obj);
        if (obj.Grants is { } stored) return stored.Select(g => FromStored(g, owner)).ToList();
        var grants = new List<Dictionary<string, object?>> { AclGrants.Grant(AclGrants.CanonicalUser(owner), "FULL_CONTROL") };
        switch (obj.Acl)
        {
            case "public-read":
                grants.Add(AclGrants.Grant(AclGrants.Group(AclGrants.AllUsers), "READ"));
                break;
            case "public-read-write":
                grants.Add(AclGrants.Grant(AclGrants.Group(AclGrants.AllUsers), "READ"));
                grants.Add(AclGrants.Grant(AclGrants.Group(AclGrants.AllUsers), "WRITE"));
                break;
            case "authenticated-read":
                grants.Add(AclGrants.Grant(AclGrants.Group(AclGrants.AuthenticatedUsers), "READ"));
                break;
            case "bucket-owner-read" or "bucket-owner-full-control" when bucket.Owner != owner:
                grants.Add(AclGrants.Grant(AclGrants.CanonicalUser(bucket.Owner), obj.Acl == "bucket-owner-read" ? "READ" : "FULL_CONTROL"));
                break;
        }
        return grants;
    }

    private static ObjectGrant ToStored(Dictionary<string, object?> grant)
    {
        var grantee = grant.GetStruct("Grantee")!;
        return new ObjectGrant(grant.GetString("Permission")!, grantee.GetString("Type")!, grantee.GetString("ID"), grantee.GetString("DisplayName"),
            grantee.GetString("URI"));
    }

    /// <summary>A stored grant as S3 shows it; the owner's canonical user gets its display name.</summary>
    private static Dictionary<string, object?> FromStored(ObjectGrant grant, string ownerAccount)
    {
        var grantee = new Dictionary<string, object?> { ["Type"] = grant.Type };
        if (grant.Type == "Group") grantee["URI"] = grant.Uri;
        else if (grant.Id == S3Owner.CanonicalId(ownerAccount)) grantee = AclGrants.CanonicalUser(ownerAccount);
        else
        {
            grantee["ID"] = grant.Id;
            if (grant.DisplayName is { } name) grantee["DisplayName"] = name;
        }
        return AclGrants.Grant(grantee, grant.Permission);
    }
}
