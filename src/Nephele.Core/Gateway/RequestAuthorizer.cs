using System.Globalization;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// IAM enforcement (--enforce-iam): every request of an IAM user or role is evaluated against its identity policies,
/// the resource's policy, permissions boundary and session policies; a denial answers the service's own AccessDenied
/// error with AWS's message. Account root credentials, and every request when enforcement is off, pass untouched.
/// Unsigned requests are anonymous: only a resource policy that grants everyone ("Principal": "*") lets them in.
/// </summary>
public sealed class RequestAuthorizer(ProviderRegistry providers, bool enforce)
{
    /// <summary>The principal ARN of unsigned requests, as AWS names it in resource policy evaluation.</summary>
    public const string AnonymousArn = "anonymous";

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
        if (!enforce) return;
        var caller = context.Caller;
        var anonymous = caller.AccessKeyId.Length == 0;
        if (!anonymous && caller.Arn.EndsWith(":root", StringComparison.Ordinal)) return;
        // AWS needs no permission to ask who you are; web identity and SAML sign-ins are unsigned by design.
        if (context.Service == "sts" && context.Operation.Name == "GetCallerIdentity") return;
        if (anonymous && context.Operation.AuthType == "none") return;

        var signing = context.Model.Metadata.SigningName;
        var defaultAction = $"{ActionPrefixes.GetValueOrDefault(signing, signing)}:{context.Operation.Name}";
        var targets = providers.ResourcesOf(context.Service)?.TargetsOf(context, input) is { Count: > 0 } named ? named : [AuthorizationTarget.Any];
        var principal = anonymous ? null : providers.IdentityPolicies?.PoliciesOf(caller);
        var keys = ContextKeys(context, principal, anonymous);
        foreach (var target in targets)
        {
            var (request, result) = Evaluate(context, target.Action ?? defaultAction, target, principal, keys, anonymous);
            if (result.Decision != PolicyDecision.Allow) throw Denied(context, request, target, result, protocol, anonymous);
        }
    }

    /// <summary>Whether requests of this caller are evaluated at all (enforcement on, and not account root credentials),
    /// so a service can skip building what <see cref="Allows"/> needs when it is not.</summary>
    public bool Evaluates(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return enforce && (context.Caller.AccessKeyId.Length == 0 || !context.Caller.Arn.EndsWith(":root", StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether the caller of <paramref name="context"/> may perform <paramref name="action"/> on another service's
    /// resource that the request uses on its behalf (Secrets Manager decrypting a secret with KMS: kms:Decrypt on the
    /// key, with kms:ViaService in <see cref="AuthorizationTarget.Context"/>). True when enforcement is off and for
    /// account root credentials, as for requests.
    /// </summary>
    public bool Allows(RequestContext context, string action, AuthorizationTarget target)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        if (!enforce) return true;
        var caller = context.Caller;
        var anonymous = caller.AccessKeyId.Length == 0;
        if (!anonymous && caller.Arn.EndsWith(":root", StringComparison.Ordinal)) return true;
        var principal = anonymous ? null : providers.IdentityPolicies?.PoliciesOf(caller);
        return Evaluate(context, action, target, principal, ContextKeys(context, principal, anonymous), anonymous).Result.Decision == PolicyDecision.Allow;
    }

    private static (AuthorizationRequest Request, EvaluationResult Result) Evaluate(RequestContext context, string action, AuthorizationTarget target,
        PrincipalPolicies? principal, Dictionary<string, IReadOnlyList<string>> keys, bool anonymous)
    {
        var caller = context.Caller;
        var policies = principal?.Policies ?? new ApplicablePolicies();
        var request = new AuthorizationRequest
        {
            PrincipalArn = anonymous ? AnonymousArn : caller.Arn,
            // An anonymous caller belongs to no account, so every resource is another account's to grant.
            PrincipalAccount = anonymous ? "" : caller.AccountId,
            Action = action,
            Resource = target.Resource,
            ResourceAccount = anonymous ? target.Account ?? caller.AccountId : target.Account,
            Context = target.Context is { } extra ? Merge(keys, extra) : keys,
        };
        var result = PolicyEvaluator.Explain(request, new ApplicablePolicies
        {
            // Anonymous callers have no identity policies: only a resource policy can grant them.
            Identity = anonymous ? [AllowAll] : policies.Identity,
            Resource = target.Policy,
            PermissionsBoundary = policies.PermissionsBoundary,
            Session = policies.Session,
        });
        // The service's own grant (a KMS grant) allows what the policies did not, but not what they deny explicitly.
        if (target.Granted && result.Decision == PolicyDecision.ImplicitDeny) result = new EvaluationResult(PolicyDecision.Allow, null);
        return (request, result);
    }

    // Stands in for the identity side of an anonymous request so that the resource policy alone decides.
    private static readonly PolicyDocument AllowAll = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");

    private static Dictionary<string, IReadOnlyList<string>> Merge(Dictionary<string, IReadOnlyList<string>> keys,
        IReadOnlyDictionary<string, IReadOnlyList<string>> extra)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(keys, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in extra) merged[key] = values;
        return merged;
    }

    /// <summary>The global condition keys every request carries.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ContextKeys(RequestContext context, PrincipalPolicies? principal, bool anonymous)
    {
        var caller = context.Caller;
        var now = context.Now;
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:SecureTransport"] = ["false"],
            ["aws:RequestedRegion"] = [context.Region],
        };
        if (!anonymous)
        {
            keys["aws:PrincipalArn"] = [caller.Arn];
            keys["aws:PrincipalAccount"] = [caller.AccountId];
            keys["aws:PrincipalType"] = [PrincipalType(caller.Arn)];
            keys["aws:userid"] = [caller.UserId];
        }
        else keys["aws:PrincipalType"] = ["Anonymous"];
        if (context.Request.SourceIp is { } ip) keys["aws:SourceIp"] = [ip];
        if (principal?.UserName is { } user) keys["aws:username"] = [user];
        // Temporary credentials say whether MFA was used; long-term access keys carry neither key, as in AWS.
        if (principal?.MultiFactorAuthTime is { } mfa)
        {
            keys["aws:MultiFactorAuthPresent"] = ["true"];
            keys["aws:MultiFactorAuthAge"] = [Math.Max(0, (long)(now - mfa).TotalSeconds).ToString(CultureInfo.InvariantCulture)];
        }
        else if (!anonymous && caller.SessionToken is not null) keys["aws:MultiFactorAuthPresent"] = ["false"];
        foreach (var (tag, value) in principal?.Tags ?? new Dictionary<string, string>())
            keys["aws:PrincipalTag/" + tag] = [value];
        return keys;
    }

    private static string PrincipalType(string arn) =>
        arn.Contains(":assumed-role/", StringComparison.Ordinal) ? "AssumedRole"
        : arn.Contains(":federated-user/", StringComparison.Ordinal) ? "FederatedUser"
        : "User";

    private static AwsException Denied(RequestContext context, AuthorizationRequest request, AuthorizationTarget target,
        EvaluationResult result, string protocol, bool anonymous)
    {
        var action = request.Action;
        var policy = result.By switch
        {
            PolicySource.Resource => "resource-based policy",
            PolicySource.PermissionsBoundary => "permissions boundary",
            PolicySource.Session => "session policy",
            _ => "identity-based policy",
        };
        var reason = result.Decision == PolicyDecision.ExplicitDeny
            ? $"with an explicit deny in a{(policy[0] == 'i' ? "n" : "")} {policy}"
            : $"because no {policy} allows the {action} action";
        var resource = target.QuoteResourceInMessage ? $"\"{request.Resource}\"" : request.Resource;
        var message = $"User: {request.PrincipalArn} is not authorized to perform: {action} on resource: {resource} {reason}";
        // S3 tells anonymous callers no more than that.
        if (anonymous && protocol == "rest-xml") message = "Access Denied";
        // Query and rest-xml services (IAM, STS, SNS, S3) answer AccessDenied 403; JSON services AccessDeniedException.
        return protocol switch
        {
            "query" or "ec2" or "rest-xml" => new AwsException("AccessDenied", message, 403),
            "rest-json" => new AwsException("AccessDeniedException", message, 403),
            _ => new AwsException("AccessDeniedException", message, 400),
        };
    }
}
