using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Sts;

/// <summary>
/// STS: who is calling, and temporary credentials that later requests are attributed to.
/// </summary>
public sealed partial class StsProvider(ServiceEnvironment env) : IAwsProvider
{
    private readonly ICredentialStore _credentials = env.Credentials;
    private readonly Iam.IamStore _iam = new(env.State);
    private readonly bool _enforceIam = env.Options.EnforceIam;

    public string ServiceName => "sts";

    public void Register(OperationRegistry operations) => operations
        .On("GetCallerIdentity", GetCallerIdentity)
        .On("GetAccessKeyInfo", GetAccessKeyInfo)
        .On("AssumeRole", AssumeRole)
        .On("AssumeRoleWithWebIdentity", AssumeRoleWithWebIdentity)
        .On("AssumeRoleWithSAML", AssumeRoleWithSaml)
        .On("GetSessionToken", GetSessionToken)
        .On("GetFederationToken", GetFederationToken);

    private static Dictionary<string, object?> GetCallerIdentity(RequestContext ctx, Dictionary<string, object?> input) => new()
    {
        ["UserId"] = ctx.Caller.UserId,
        ["Account"] = ctx.Caller.AccountId,
        ["Arn"] = ctx.Caller.Arn,
    };

    private Dictionary<string, object?> GetAccessKeyInfo(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = input.RequireString("AccessKeyId");
        StsValidation.Length("accessKeyId", key, 16, 128);
        var account = _credentials.Find(key)?.Identity.AccountId
            ?? (key.Length == 12 && key.All(char.IsAsciiDigit) ? key : CallerIdentity.DefaultAccountId);
        return new() { ["Account"] = account };
    }

    private Dictionary<string, object?> AssumeRole(RequestContext ctx, Dictionary<string, object?> input) =>
        AssumeRoleAs(ctx, input, 43200);

    // Web identity and SAML callers are unsigned: the token is the proof. Nephele accepts any token, as
    // AWS would accept a valid one, and attributes the session to the role.
    private Dictionary<string, object?> AssumeRoleWithWebIdentity(RequestContext ctx, Dictionary<string, object?> input)
    {
        StsValidation.Length("webIdentityToken", input.RequireString("WebIdentityToken"), 4, 20000);
        var output = AssumeRoleAs(ctx, input, 43200);
        output["SubjectFromWebIdentityToken"] = "nephele-subject";
        output["Audience"] = "nephele";
        output["Provider"] = "nephele";
        return output;
    }

    private Dictionary<string, object?> AssumeRoleWithSaml(RequestContext ctx, Dictionary<string, object?> input)
    {
        StsValidation.Arn("principalArn", input.RequireString("PrincipalArn"));
        input.RequireString("SAMLAssertion");
        input["RoleSessionName"] = "saml-session";
        var output = AssumeRoleAs(ctx, input, 43200);
        output["Subject"] = "nephele-saml-subject";
        output["SubjectType"] = "persistent";
        output["Issuer"] = "https://nephele.local/saml";
        output["Audience"] = "https://signin.aws.amazon.com/saml";
        output["NameQualifier"] = "nephele";
        return output;
    }

    private Dictionary<string, object?> AssumeRoleAs(RequestContext ctx, Dictionary<string, object?> input, int maxDuration)
    {
        var roleArn = input.RequireString("RoleArn");
        var sessionName = input.RequireString("RoleSessionName");
        StsValidation.Arn("roleArn", roleArn);
        StsValidation.SessionName("roleSessionName", sessionName);
        var duration = StsValidation.Duration(input.GetInt("DurationSeconds") ?? 3600, maxDuration);
        if (input.GetString("Policy") is { } policy) StsValidation.Length("policy", policy, 1, 2048);

        var mfa = VerifyMfa(ctx, input);
        var (account, roleName) = ParseRoleArn(roleArn);
        // A role IAM knows lends its id; without enforcement any role ARN may be assumed, as LocalStack allows.
        var role = Role(roleArn);
        if (role is null && _enforceIam)
            throw new AwsException("AccessDenied", $"User: {ctx.Caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", 403);
        var roleId = role?.RoleId ?? AccessKeys.NewUniqueId("AROA");
        var identity = new CallerIdentity("", account, $"arn:aws:sts::{account}:assumed-role/{roleName}/{sessionName}", $"{roleId}:{sessionName}");
        var credentials = Issue(ctx, identity, duration);
        RememberSessionPolicies(account, credentials, input, null, mfa);
        return new()
        {
            ["Credentials"] = credentials,
            ["AssumedRoleUser"] = new Dictionary<string, object?> { ["AssumedRoleId"] = identity.UserId, ["Arn"] = identity.Arn },
            ["PackedPolicySize"] = 6L,
            ["SourceIdentity"] = input.GetString("SourceIdentity"),
        };
    }

    private Dictionary<string, object?> GetSessionToken(RequestContext ctx, Dictionary<string, object?> input)
    {
        var duration = StsValidation.Duration(input.GetInt("DurationSeconds") ?? 43200, 129600);
        var mfa = VerifyMfa(ctx, input);
        var credentials = Issue(ctx, ctx.Caller, duration);
        if (mfa is not null) RememberSessionPolicies(ctx.Caller.AccountId, credentials, input, null, mfa);
        return new() { ["Credentials"] = credentials };
    }

    private Dictionary<string, object?> GetFederationToken(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        StsValidation.SessionName("name", name, maxLength: 32);
        var duration = StsValidation.Duration(input.GetInt("DurationSeconds") ?? 43200, 129600);
        var account = ctx.Caller.AccountId;
        var identity = new CallerIdentity("", account, $"arn:aws:sts::{account}:federated-user/{name}", $"{account}:{name}");
        var credentials = Issue(ctx, identity, duration);
        // A federated user has the intersection of its IAM user's permissions and the session policies.
        RememberSessionPolicies(account, credentials, input, ctx.Caller.Arn);
        return new()
        {
            ["Credentials"] = credentials,
            ["FederatedUser"] = new Dictionary<string, object?> { ["FederatedUserId"] = identity.UserId, ["Arn"] = identity.Arn },
            ["PackedPolicySize"] = 6L,
        };
    }

    private Dictionary<string, object?> Issue(RequestContext ctx, CallerIdentity identity, int durationSeconds)
    {
        var keyId = AccessKeys.NewAccessKeyId("ASIA");
        var secret = AccessKeys.NewSecretAccessKey();
        var token = AccessKeys.NewSessionToken();
        var expiration = ctx.Now.AddSeconds(durationSeconds);
        _credentials.Add(new IssuedCredential(keyId, secret, token, identity with { AccessKeyId = keyId, SessionToken = token }, expiration));
        return new()
        {
            ["AccessKeyId"] = keyId,
            ["SecretAccessKey"] = secret,
            ["SessionToken"] = token,
            ["Expiration"] = new DateTimeOffset(expiration.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero),
        };
    }

    private static (string Account, string RoleName) ParseRoleArn(string arn)
    {
        // arn:aws:iam::123456789012:role/path/name
        var parts = arn.Split(':', 6);
        var account = parts.Length == 6 && parts[4].Length == 12 ? parts[4] : CallerIdentity.DefaultAccountId;
        var resource = parts.Length == 6 ? parts[5] : arn;
        var name = resource[(resource.LastIndexOf('/') + 1)..];
        return (account, name);
    }
}
