namespace Nephele.Core.Policies;

/// <summary>What a policy is attached to, which decides the elements it must and must not have.</summary>
public enum PolicyKind
{
    /// <summary>Attached to a user, group or role (managed or inline): no Principal, Resource required.</summary>
    Identity,
    /// <summary>A role's trust policy (AssumeRolePolicyDocument): Principal required, no Resource, sts actions only.</summary>
    Trust,
    /// <summary>Attached to a resource (bucket, queue, topic, key, secret): Principal required.</summary>
    Resource,
}

/// <summary>
/// IAM's checks beyond the grammar, in the order IAM applies them, each with IAM's MalformedPolicyDocument message.
/// </summary>
public static class PolicyValidation
{
    public const string CurrentVersion = "2012-10-17";

    private static readonly HashSet<string> TrustActions = new(StringComparer.Ordinal)
    {
        "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity",
        "sts:SetContext", "sts:DecodeAuthorizationMessage", "sts:GetAccessKeyInfo", "sts:GetCallerIdentity",
        "sts:GetFederationToken", "sts:GetServiceBearerToken", "sts:GetSessionToken",
    };

    /// <summary>Parses and validates; throws <see cref="PolicyDocumentException"/> with the first problem IAM reports.</summary>
    public static PolicyDocument ParseAndValidate(string json, PolicyKind kind)
    {
        var document = PolicyDocument.Parse(json);
        Validate(document, kind);
        return document;
    }

    public static void Validate(PolicyDocument document, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Version is { } v && v != CurrentVersion && v != "2008-10-17") throw PolicyDocumentException.Syntax();
        if (kind != PolicyKind.Resource && document.Version != CurrentVersion)
            throw new PolicyDocumentException("Policy document must be version 2012-10-17 or greater.");
        // IAM's legacy parser is case-sensitive where the grammar is not.
        if (document.Statements.Any(s => s.EffectText is not ("Allow" or "Deny")))
            throw new PolicyDocumentException("The policy failed legacy parsing");
        var sids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in document.Statements)
            if (s.Sid is { Length: > 0 } sid && !sids.Add(sid))
                throw new PolicyDocumentException("Statement IDs (SID) in a single policy must be unique.");
        if (document.Statements.Any(s => (s.Action ?? s.NotAction) is not { Count: > 0 }))
            throw new PolicyDocumentException("Policy statement must contain actions.");
        foreach (var s in document.Statements)
            foreach (var resource in (s.Resource ?? []).Concat(s.NotResource ?? []))
                CheckResource(resource);
        foreach (var s in document.Statements)
            foreach (var action in s.Action ?? s.NotAction ?? [])
                CheckAction(action);

        switch (kind)
        {
            case PolicyKind.Identity:
                if (document.Statements.Any(s => s.Principal is not null || s.NotPrincipal is not null))
                    throw new PolicyDocumentException("Policy document should not specify a principal.");
                if (document.Statements.Any(s => (s.Resource ?? s.NotResource) is not { Count: > 0 }))
                    throw new PolicyDocumentException("Policy statement must contain resources.");
                foreach (var s in document.Statements)
                    if (s.Sid is { } sid && sid.AsSpan().IndexOfAnyExcept(AlphaNumeric) >= 0)
                        throw new PolicyDocumentException("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
                break;
            case PolicyKind.Trust:
                if (document.Statements.Any(s => (s.Action ?? []).Any(a => !TrustActions.Contains(a))))
                    throw new PolicyDocumentException("Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity");
                if (document.Statements.Any(s => s.Resource is not null || s.NotResource is not null))
                    throw new PolicyDocumentException("Has prohibited field Resource.");
                if (document.Statements.Any(s => s.Principal is null && s.NotPrincipal is null))
                    throw new PolicyDocumentException("Missing required field Principal");
                break;
            case PolicyKind.Resource:
                if (document.Statements.Any(s => s.Principal is null && s.NotPrincipal is null))
                    throw new PolicyDocumentException("Missing required field Principal");
                break;
        }
    }

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static void CheckResource(string resource)
    {
        if (resource == "*") return;
        var parts = resource.Split(':');
        if (parts.Length < 2) throw new PolicyDocumentException($"Resource {resource} must be in ARN format or \"*\".");
        if (parts.Length < 6 && resource.Contains("::", StringComparison.Ordinal) || parts.Length > 2 && parts[2].Length == 0)
            throw new PolicyDocumentException("The policy failed legacy parsing");
        if (parts[1] is not ("*" or "aws" or "aws-cn" or "aws-us-gov" or "aws-iso" or "aws-iso-b" or "aws-iso-e" or "aws-iso-f" or "aws-eusc"))
            throw new PolicyDocumentException($"Partition \"{parts[1]}\" is not valid for resource \"{resource}\".");
        if (parts.Length > 5 && parts[2] == "iam" && parts[3].Length > 0)
            throw new PolicyDocumentException($"IAM resource {resource} cannot contain region information.");
    }

    private static void CheckAction(string action)
    {
        if (action == "*") return;
        var parts = action.Split(':');
        if (parts.Length == 1) throw new PolicyDocumentException("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        if (parts.Length > 2) throw new PolicyDocumentException("Actions/Condition can contain only one colon.");
        var vendor = parts[0];
        if (vendor != "*" && (vendor.Length == 0 || vendor.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))))
            throw new PolicyDocumentException($"Vendor {vendor} is not valid");
    }

    /// <summary>The size IAM counts against its quotas: characters other than white space.</summary>
    public static int Size(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var size = 0;
        foreach (var c in json)
            if (!char.IsWhiteSpace(c)) size++;
        return size;
    }
}
