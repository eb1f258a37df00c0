using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>
/// For --enforce-iam: a request acts on the key it names (or whose ciphertext it carries), under the key policy and the
/// key's grants (see <see cref="KeyAuthorization"/>). The default key policy names the account, which hands the decision
/// to IAM policies, as in AWS.
/// </summary>
public sealed partial class KmsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var operation = context.Operation.Name;
            if (operation == "RetireGrant") return RetireTargets(context, input);
            var identifier = input.GetString("KeyId") ?? input.GetString("SourceKeyId")
                ?? (input.GetBlob("CiphertextBlob") is { } blob && Ciphertext.IsSealed(blob) ? Ciphertext.Read(blob).KeyId : null);
            if (identifier is null) return [];
            var key = Resolve(context, identifier);
            var encryptionContext = (input.GetValueOrDefault("EncryptionContext") ?? input.GetValueOrDefault("SourceEncryptionContext")) is Dictionary<string, object?> map
                ? map.ToDictionary(p => p.Key, p => p.Value as string ?? "", StringComparer.Ordinal)
                : null;
            var grantOperation = operation == "ReEncrypt" ? "ReEncryptFrom" : operation;
            return [KeyAuthorization.Target(Store, context.Scope, key, context.Caller, grantOperation, encryptionContext, null, ConditionKeysOf(input))];
        }
        catch (AwsException)
        {
            // An unknown key or a malformed ciphertext is the handler's error to report.
            return [];
        }
    }

    /// <summary>RetireGrant is not controlled by policies: the grant's retiring principal (or its grantee, when the grant
    /// includes RetireGrant) may retire it, and principals with kms:RetireGrant on the key through its policies.</summary>
    private IReadOnlyList<AuthorizationTarget> RetireTargets(RequestContext context, Dictionary<string, object?> input)
    {
        GrantRecord? grant = input.GetString("GrantToken") is { } token
            ? Store.Grants(context.Scope).FirstOrDefault(g => g.GrantToken == token)
            : input.GetString("KeyId") is { } keyId && input.GetString("GrantId") is { } grantId
                ? Store.GetGrant(context.Scope, Resolve(context, keyId, allowAlias: false).KeyId, grantId)
                : null;
        if (grant is null || Store.GetKey(context.Scope, grant.KeyId) is not { } key) return [];
        return [KeyAuthorization.Target(Store, context.Scope, key, context.Caller, "RetireGrant", null, null, ConditionKeysOf(input))
            with { Granted = KeyAuthorization.MayRetire(grant, context.Caller) }];
    }

    /// <summary>kms:EncryptionContext:&lt;k&gt; and kms:EncryptionContextKeys of requests that carry an encryption
    /// context, and the request's key spec and algorithms.</summary>
    private static ConditionKeys ConditionKeysOf(Dictionary<string, object?> input)
    {
        var keys = new ConditionKeys();
        var encryptionContext = (input.GetValueOrDefault("EncryptionContext") ?? input.GetValueOrDefault("DestinationEncryptionContext")) as Dictionary<string, object?>;
        if (encryptionContext is not null)
        {
            var pairs = encryptionContext.Select(p => KeyValuePair.Create(p.Key, p.Value as string ?? "")).ToList();
            keys.Prefixed("kms:EncryptionContext:", pairs).Add("kms:EncryptionContextKeys", pairs.ConvertAll(p => p.Key));
        }
        return keys.Add("kms:EncryptionAlgorithm", input.GetString("EncryptionAlgorithm"))
            .Add("kms:SigningAlgorithm", input.GetString("SigningAlgorithm"))
            .Add("kms:MacAlgorithm", input.GetString("MacAlgorithm"))
            .Add("kms:KeySpec", input.GetString("KeySpec") ?? input.GetString("KeyPairSpec"))
            .Add("kms:GrantOperations", (input.GetValueOrDefault("Operations") as List<object?>)?.OfType<string>().ToList())
            .Add("kms:GranteePrincipal", input.GetString("GranteePrincipal"))
            .Add("kms:RetiringPrincipal", input.GetString("RetiringPrincipal"));
    }
}
