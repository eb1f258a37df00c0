using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// S3 access control lists: canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents, each
/// turned into the same list of Grant structures (Grantee + Permission), checked as S3 checks them.
/// </summary>
internal static class AclGrants
{
    public const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    public const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public const string LogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    private static readonly HashSet<string> Groups = new(StringComparer.Ordinal) { AllUsers, AuthenticatedUsers, LogDelivery };
    private static readonly HashSet<string> Permissions = new(StringComparer.Ordinal) { "FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP" };

    private static readonly (string Member, string Permission)[] GrantHeaders =
    [
        ("GrantFullControl", "FULL_CONTROL"), ("GrantRead", "READ"), ("GrantReadACP", "READ_ACP"), ("GrantWrite", "WRITE"), ("GrantWriteACP", "WRITE_ACP"),
    ];

    /// <summary>The grants a PutBucketAcl/PutObjectAcl request asks for: exactly one of a canned ACL, grant headers or a body.</summary>
    public static List<Dictionary<string, object?>> FromRequest(Dictionary<string, object?> input, string ownerAccount, out Dictionary<string, object?>? owner)
    {
        owner = null;
        var canned = input.GetString("ACL");
        var headers = GrantHeaders.Where(h => input.GetString(h.Member) is not null).ToList();
        var body = input.GetStruct("AccessControlPolicy");
        if (canned is not null && headers.Count > 0)
            throw S3ConfigErrors.InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
        if ((canned is not null || headers.Count > 0) && body is not null)
            throw new AwsException("UnexpectedContent", "This request does not support content", 400);
        if (canned is not null) return Canned(canned, ownerAccount);
        if (headers.Count > 0)
        {
            var grants = new List<Dictionary<string, object?>>();
            foreach (var (member, permission) in headers)
                foreach (var grantee in ParseGrantees(input.GetString(member)!))
                    grants.Add(Grant(Named(grantee, ownerAccount), permission));
            return grants;
        }
        if (body is null)
            throw new AwsException("MissingSecurityHeader", "Your request was missing a required header", 400,
                fields: new() { ["MissingHeaderName"] = "x-amz-acl" });
        owner = body.GetStruct("Owner") ?? throw MalformedAcl();
        if (string.IsNullOrEmpty(owner.GetString("ID"))) throw MalformedAcl();
        var parsed = new List<Dictionary<string, object?>>();
        foreach (var grant in body.GetList("Grants")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            if (grant.GetString("Permission") is not { } permission || !Permissions.Contains(permission)) throw MalformedAcl();
            var grantee = grant.GetStruct("Grantee") ?? throw MalformedAcl();
            switch (grantee.GetString("Type"))
            {
                case "CanonicalUser":
                    if (!IsCanonicalId(grantee.GetString("ID"))) throw S3ConfigErrors.InvalidArgument("Invalid id");
                    break;
                case "Group":
                    if (grantee.GetString("URI") is not { } uri || !Groups.Contains(uri)) throw S3ConfigErrors.InvalidArgument("Invalid group uri");
                    break;
                case "AmazonCustomerByEmail":
                    throw UnresolvableEmail();
                default:
                    throw MalformedAcl();
            }
            parsed.Add(Grant(Named(grantee, ownerAccount), permission));
        }
        return parsed;
    }

    public static List<Dictionary<string, object?>> Canned(string acl, string ownerAccount)
    {
        var grants = new List<Dictionary<string, object?>> { Grant(CanonicalUser(ownerAccount), "FULL_CONTROL") };
        switch (acl)
        {
            case "private" or "bucket-owner-full-control":
                break;
            case "public-read":
                grants.Add(Grant(Group(AllUsers), "READ"));
                break;
            case "public-read-write":
                grants.Add(Grant(Group(AllUsers), "READ"));
                grants.Add(Grant(Group(AllUsers), "WRITE"));
                break;
            case "authenticated-read":
                grants.Add(Grant(Group(AuthenticatedUsers), "READ"));
                break;
            case "log-delivery-write":
                grants.Add(Grant(Group(LogDelivery), "WRITE"));
                grants.Add(Grant(Group(LogDelivery), "READ_ACP"));
                break;
            default:
                throw S3ConfigErrors.InvalidArgument("");
        }
        return grants;
    }

    /// <summary>What ACLs may say when they are disabled (BucketOwnerEnforced): the owner has FULL_CONTROL, nobody else anything.</summary>
    public static bool OnlyOwnerFullControl(List<Dictionary<string, object?>> grants, string ownerAccount)
    {
        var ownerId = S3Owner.CanonicalId(ownerAccount);
        return grants.All(g => g.GetString("Permission") == "FULL_CONTROL" && g.GetStruct("Grantee")?.GetString("ID") == ownerId);
    }

    /// <summary>True when a grant reaches everyone or every AWS account.</summary>
    public static bool IsPublic(List<Dictionary<string, object?>> grants) =>
        grants.Any(g => g.GetStruct("Grantee")?.GetString("URI") is AllUsers or AuthenticatedUsers);

    public static Dictionary<string, object?> Grant(Dictionary<string, object?> grantee, string permission) =>
        new() { ["Grantee"] = grantee, ["Permission"] = permission };

    public static Dictionary<string, object?> CanonicalUser(string account) => new()
    {
        ["Type"] = "CanonicalUser",
        ["ID"] = S3Owner.CanonicalId(account),
        ["DisplayName"] = S3Owner.Of(account)["DisplayName"],
    };

    /// <summary>The owner's canonical user as S3 shows it (with its display name), other grantees as sent.</summary>
    private static Dictionary<string, object?> Named(Dictionary<string, object?> grantee, string ownerAccount) =>
        grantee.GetString("Type") == "CanonicalUser" && grantee.GetString("ID") == S3Owner.CanonicalId(ownerAccount) ? CanonicalUser(ownerAccount) : grantee;

    public static Dictionary<string, object?> Group(string uri) => new() { ["Type"] = "Group", ["URI"] = uri };

    /// <summary>An x-amz-grant-* header: comma-separated id="...", uri="..." or emailAddress="..." grantees.</summary>
    private static IEnumerable<Dictionary<string, object?>> ParseGrantees(string header)
    {
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw S3ConfigErrors.InvalidArgument("Argument format not recognized");
            var kind = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim().Trim('"');
            switch (kind.ToLowerInvariant())
            {
                case "id":
                    if (!IsCanonicalId(value)) throw S3ConfigErrors.InvalidArgument("Invalid id");
                    yield return new() { ["Type"] = "CanonicalUser", ["ID"] = value };
                    break;
                case "uri":
                    if (!Groups.Contains(value)) throw S3ConfigErrors.InvalidArgument("Invalid group uri");
                    yield return Group(value);
                    break;
                case "emailaddress":
                    throw UnresolvableEmail();
                default:
                    throw S3ConfigErrors.InvalidArgument("Argument format not recognized");
            }
        }
    }

    private static bool IsCanonicalId(string? id) => id is { Length: 64 } && id.All(char.IsAsciiHexDigit);

    private static AwsException MalformedAcl() =>
        new("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema", 400);

    private static AwsException UnresolvableEmail() =>
        new("UnresolvableGrantByEmailAddress", "The e-mail address you provided does not match any account on record.", 400);
}
