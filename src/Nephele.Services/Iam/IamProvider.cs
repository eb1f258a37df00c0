using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Iam;

/// <summary>A synchronous IAM operation handler.</summary>
internal delegate Dictionary<string, object?> Handler(RequestContext ctx, Dictionary<string, object?> input);

/// <summary>
/// IAM: users, groups, roles, managed and inline policies, instance profiles, access keys (usable as
/// credentials), login profiles, identity providers, tags and account settings. IAM is global: every
/// entity lives in the account's global scope. Policies are stored as submitted and validated like IAM does.
/// </summary>
public sealed partial class IamProvider(ServiceEnvironment env) : IAwsProvider
{
    private readonly IamStore _store = new(env.State);
    private readonly ICredentialStore _credentials = env.Credentials;

    public string ServiceName => "iam";

    public void Register(OperationRegistry operations)
    {
        foreach (var (name, handler) in Handlers())
            operations.On(name, (ctx, input) =>
            {
                // IAM validates the modeled constraints of every member before anything else.
                IamInputValidation.Check(ctx.Operation.Input, input);
                return handler(ctx, input);
            });
    }

    private IEnumerable<(string, Handler)> Handlers() =>
    [
        .. UserHandlers(), .. GroupHandlers(), .. RoleHandlers(), .. PolicyHandlers(), .. AttachmentHandlers(),
        .. InlinePolicyHandlers(), .. InstanceProfileHandlers(), .. AccessKeyHandlers(), .. LoginProfileHandlers(),
        .. ProviderHandlers(), .. AccountHandlers(), .. ReportHandlers(), .. TagHandlers(), .. ContextKeyHandlers(), .. SimulationHandlers(),
        .. MfaHandlers(), .. SshKeyHandlers(), .. CertificateHandlers(), .. ServiceCredentialHandlers(),
    ];

    private static Scope Scope(RequestContext ctx) => ctx.GlobalScope;

    private static string Arn(RequestContext ctx, string kind, string path, string name) => $"arn:aws:iam::{ctx.AccountId}:{kind}{path}{name}";

    private static string PathOf(Dictionary<string, object?> input) => input.GetString("Path") ?? "/";

    /// <summary>Policy documents in query responses are URL-encoded (RFC 3986), as IAM sends them.</summary>
    private static string Encoded(string document) => Uri.EscapeDataString(document);

    /// <summary>Validates a policy document as IAM does: grammar and rules (MalformedPolicyDocument), then its size quota.</summary>
    private static void ValidatePolicy(string document, PolicyKind kind)
    {
        try
        {
            PolicyValidation.ParseAndValidate(document, kind);
        }
        catch (PolicyDocumentException e)
        {
            throw IamErrors.Malformed(e.Message);
        }
    }

    private static string Required(Dictionary<string, object?> input, string name) =>
        input.GetString(name) ?? throw IamErrors.Constraint(char.ToLowerInvariant(name[0]) + name[1..], null, "Member must not be null");

    /// <summary>IAM's Marker/MaxItems paging over items already in key order.</summary>
    private static Dictionary<string, object?> Page<T>(IEnumerable<T> items, Func<T, string> key, Dictionary<string, object?> input,
        string listName, Func<T, object?> render)
    {
        var max = input.GetInt("MaxItems") ?? 100;
        var after = PageToken.Resume(input.GetString("Marker"), () => IamErrors.Validation("Invalid Marker."));
        var page = items.Where(i => after is null || string.CompareOrdinal(key(i), after) > 0).Take(max + 1).ToList();
        var truncated = page.Count > max;
        if (truncated) page.RemoveAt(max);
        return new()
        {
            [listName] = page.Select(render).ToList(),
            ["IsTruncated"] = truncated,
            ["Marker"] = truncated ? PageToken.After(key(page[^1])) : null,
        };
    }

    private static IEnumerable<T> UnderPath<T>(IEnumerable<T> items, Func<T, string> path, Dictionary<string, object?> input) =>
        input.GetString("PathPrefix") is { } prefix ? items.Where(i => path(i).StartsWith(prefix, StringComparison.Ordinal)) : items;

    private static Dictionary<string, object?> Empty() => [];

    private static Dictionary<string, object?>? Boundary(string? arn) => arn is null ? null : new()
    {
        ["PermissionsBoundaryType"] = "Policy",
        ["PermissionsBoundaryArn"] = arn,
    };
}
