using System.Globalization;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Who may read through the website endpoint: everyone there is anonymous, so an object is served only when it is
/// publicly readable — the bucket policy grants s3:GetObject to everyone ("Principal": "*" or {"AWS": "*"}, its
/// conditions evaluated for this request), or, while ACLs are enabled, the object's ACL grants AllUsers READ — and the
/// bucket's Block Public Access does not take that away (RestrictPublicBuckets for the policy, IgnorePublicAcls for
/// ACLs). A missing key answers 404 only to a caller who may list the bucket (s3:ListBucket or a public-read bucket
/// ACL); everyone else gets 403, as S3 hides which keys exist.
/// </summary>
public sealed partial class S3Provider
{
    // The identity side of an anonymous request: nothing to evaluate, so the bucket policy alone decides.
    private static readonly PolicyDocument AnonymousIdentity =
        PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");

    /// <summary>Whether an anonymous GET through the website endpoint may read <paramref name="obj"/>.</summary>
    private bool WebsiteMayRead(HttpContext http, BucketRecord bucket, ObjectRecord obj)
    {
        var block = PublicAccessBlock(bucket.Name);
        switch (AnonymousDecision(http, bucket, "s3:GetObject", $"arn:aws:s3:::{bucket.Name}/{obj.Key}"))
        {
            case PolicyDecision.ExplicitDeny:
                return false;
            case PolicyDecision.Allow when block?.GetBool("RestrictPublicBuckets") != true:
                return true;
        }
        return AclsCount(bucket, block) && ObjectGrants(bucket, obj).Any(g => GrantsAllUsers(g, "READ"));
    }

    /// <summary>Whether an anonymous caller may list the bucket, which decides between 404 and 403 for a missing key.</summary>
    private bool WebsiteMayList(HttpContext http, BucketRecord bucket)
    {
        var block = PublicAccessBlock(bucket.Name);
        switch (AnonymousDecision(http, bucket, "s3:ListBucket", "arn:aws:s3:::" + bucket.Name))
        {
            case PolicyDecision.ExplicitDeny:
                return false;
            case PolicyDecision.Allow when block?.GetBool("RestrictPublicBuckets") != true:
                return true;
        }
        return AclsCount(bucket, block)
            && BucketAcl(bucket).GetList("Grants")!.OfType<Dictionary<string, object?>>().Any(g => GrantsAllUsers(g, "READ"));
    }

    /// <summary>ACLs grant nothing when they are disabled (BucketOwnerEnforced) or public ones are ignored.</summary>
    private static bool AclsCount(BucketRecord bucket, Dictionary<string, object?>? block) =>
        bucket.ObjectOwnership != "BucketOwnerEnforced" && block?.GetBool("IgnorePublicAcls") != true;

    private static bool GrantsAllUsers(Dictionary<string, object?> grant, string permission) =>
        grant.GetStruct("Grantee")?.GetString("URI") == AclGrants.AllUsers && grant.GetString("Permission") is { } p && (p == permission || p == "FULL_CONTROL");

    /// <summary>The bucket policy's decision for an anonymous request of <paramref name="action"/> on <paramref name="resource"/>.</summary>
    private PolicyDecision AnonymousDecision(HttpContext http, BucketRecord bucket, string action, string resource)
    {
        if (BucketPolicy(bucket.Name) is not { } text || PolicyDocument.TryParse(text, out _) is not { } policy) return PolicyDecision.ImplicitDeny;
        var now = env.Clock.GetUtcNow();
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:SecureTransport"] = [http.Request.IsHttps ? "true" : "false"],
            ["aws:PrincipalType"] = ["Anonymous"],
            ["aws:RequestedRegion"] = [bucket.Region],
        };
        if (http.Connection.RemoteIpAddress is { } ip) keys["aws:SourceIp"] = [(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()];
        if (http.Request.Headers.Referer.FirstOrDefault() is { } referer) keys["aws:Referer"] = [referer];
        if (http.Request.Headers.UserAgent.FirstOrDefault() is { } agent) keys["aws:UserAgent"] = [agent];
        var request = new AuthorizationRequest
        {
            PrincipalArn = RequestAuthorizer.AnonymousArn,
            PrincipalAccount = "",
            Action = action,
            Resource = resource,
            ResourceAccount = bucket.Owner,
            Context = keys,
        };
        return PolicyEvaluator.Evaluate(request, new ApplicablePolicies { Identity = [AnonymousIdentity], Resource = policy });
    }
}
