using System.Globalization;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// IAM enforcement (--enforce-iam): every request of an IAM user or role is evaluated against its identity policies,
/// the resource's policy, permissions boundary and session policies; a denial answers the service's own AccessDenied
/// error with AWS's message. Account root credentials, and every request when enforcement is off, pass untouched.
/// </summary>
public sealed class RequestAuthorizer(ProviderRegistry providers, bool enforce)
{
    // IAM action prefixes that differ from the signing name.
    private static readonly Dictionary<string, string> ActionPrefixes = new(StringComparer.Ordinal)
    {
        ["monitoring"] = "cloudwatch",
        ["email"] = "ses",
        ["execute-api"] = "apigateway",
    };

    public void Authorize(RequestContext context, Dictionary<string, object?> input, string protocol)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.Caller;
        if (!enforce || caller.Arn.EndsWith(":root", StringComparison.Ordinal)) return;
        // AWS needs no permission to ask who you are.
        if (context.Service == "sts" && context.Operation.Name == "GetCallerIdentity") return;

        var signing = context.Model.Metadata.SigningName;
        var action = $"{ActionPrefixes.GetValueOrDefault(signing, signing)}:{context.Operation.Name}";
        var target = providers.ResourcesOf(context.Service)?.TargetOf(context, input) ?? AuthorizationTarget.Any;
        var principal = providers.IdentityPolicies?.PoliciesOf(caller);
        var request = new AuthorizationRequest
        {
            PrincipalArn = caller.Arn,
            PrincipalAccount = caller.AccountId,
            Action = action,
            Resource = target.Resource,
            ResourceAccount = target.Account,
            Context = ContextKeys(context, principal),
        };
        var policies = principal?.Policies ?? new ApplicablePolicies();
        var decision = PolicyEvaluator.Evaluate(request, new ApplicablePolicies
        {
            Identity = policies.Identity,
            Resource = target.Policy,
            PermissionsBoundary = policies.PermissionsBoundary,
            Session = policies.Session,
        });
        if (decision != PolicyDecision.Allow) throw Denied(context, action, target.Resource, decision, protocol);
    }

    /// <summary>The global condition keys every request carries.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ContextKeys(RequestContext context, PrincipalPolicies? principal)
    {
        var caller = context.Caller;
        var now = context.Now;
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:SecureTransport"] = ["false"],
            ["aws:PrincipalArn"] = [caller.Arn],
            ["aws:PrincipalAccount"] = [caller.AccountId],
            ["aws:PrincipalType"] = [caller.Arn.Contains(":assumed-role/", StringComparison.Ordinal) ? "AssumedRole" : "User"],
            ["aws:userid"] = [caller.UserId],
            ["aws:RequestedRegion"] = [context.Region],
        };
        if (context.Request.SourceIp is { } ip) keys["aws:SourceIp"] = [ip];
        if (principal?.UserName is { } user) keys["aws:username"] = [user];
        foreach (var (tag, value) in principal?.Tags ?? new Dictionary<string, string>())
            keys["aws:PrincipalTag/" + tag] = [value];
        return keys;
    }

    private static AwsException Denied(RequestContext context, string action, string resource, PolicyDecision decision, string protocol)
    {
        var reason = decision == PolicyDecision.ExplicitDeny
            ? "with an explicit deny in an identity-based policy"
            : $"because no identity-based policy allows the {action} action";
        var message = $"User: {context.Caller.Arn} is not authorized to perform: {action} on resource: {resource} {reason}";
        // Query and rest-xml services (IAM, STS, SNS, S3) answer AccessDenied 403; JSON services AccessDeniedException.
        return protocol switch
        {
            "query" or "ec2" or "rest-xml" => new AwsException("AccessDenied", message, 403),
            "rest-json" => new AwsException("AccessDeniedException", message, 403),
            _ => new AwsException("AccessDeniedException", message, 400),
        };
    }
}
