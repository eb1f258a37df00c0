using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// Resource policies: stored per secret (and replicated with it), checked for syntax and for broad access the way
/// ValidateResourcePolicy and PutResourcePolicy's BlockPublicPolicy do.
/// </summary>
public sealed partial class SecretsManagerProvider
{
    private Dictionary<string, object?> PutResourcePolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var policy = input.RequireString("ResourcePolicy");
        var document = Parsed(policy);
        if ((input.GetBool("BlockPublicPolicy") ?? false) && GrantsBroadAccess(document))
            throw new AwsException("PublicPolicyException", "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.");
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id) with { ResourcePolicy = policy };
            Save(ctx, record);
            return Identify(record, null);
        });
    }

    private Dictionary<string, object?> GetResourcePolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = Find(ctx, input.RequireString("SecretId"));
        var output = Identify(record, null);
        output.Remove("VersionId");
        output["ResourcePolicy"] = record.ResourcePolicy;
        return output;
    }

    private Dictionary<string, object?> DeleteResourcePolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id) with { ResourcePolicy = null };
            Save(ctx, record);
            return Identify(record, null);
        });
    }

    private Dictionary<string, object?> ValidateResourcePolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = input.RequireString("ResourcePolicy");
        if (input.GetString("SecretId") is { } id) Find(ctx, id);
        var document = Parsed(policy);
        var errors = new List<object?>();
        try
        {
            PolicyValidation.Validate(document, PolicyKind.Resource);
        }
        catch (PolicyDocumentException e)
        {
            errors.Add(Error("SYNTAX_CHECK", e.Message));
        }
        if (GrantsBroadAccess(document))
            errors.Add(Error("BROAD_ACCESS_CHECK", "The resource policy grants broad access to the secret: a statement allows every principal (\"*\") without a condition."));
        return new() { ["PolicyValidationPassed"] = errors.Count == 0, ["ValidationErrors"] = errors };
    }

    private static PolicyDocument Parsed(string policy) =>
        PolicyDocument.TryParse(policy, out _)
            ?? throw new AwsException("MalformedPolicyDocumentException", "This resource policy contains an unsupported JSON format.");

    /// <summary>An Allow statement for every principal ("*" or {"AWS": "*"}) that no condition narrows: the broad access
    /// AWS's automated reasoning flags. Conditions are taken as narrowing, which errs on the side of letting a policy pass.</summary>
    private static bool GrantsBroadAccess(PolicyDocument document) => document.Statements.Any(s =>
        s.Effect == PolicyEffect.Allow && s.Condition.Count == 0
        && s.Principal is { } p && (p.IsWildcard || (p.Values.TryGetValue("AWS", out var aws) && aws.Contains("*"))));

    private static Dictionary<string, object?> Error(string check, string message) => new() { ["CheckName"] = check, ["ErrorMessage"] = message };
}
