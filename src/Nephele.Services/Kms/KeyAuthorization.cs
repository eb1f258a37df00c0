using System.Collections.Concurrent;
using Nephele.Core.Auth;
using Nephele.Core.Policies;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>
/// For --enforce-iam: what a use of a key needs, as AWS KMS decides it. The key policy is the key's resource policy
/// (the default one names the account, which hands the decision to IAM policies); a grant whose grantee is the caller
/// (its user, or the role of its session) and whose operations include the one requested allows it as well, within the
/// grant's encryption context constraints, unless a policy denies it explicitly. Requests carry kms:CallerAccount, and
/// when another service uses the key on the caller's behalf, kms:ViaService (secretsmanager.us-east-1.amazonaws.com).
/// </summary>
internal static class KeyAuthorization
{
    /// <summary>The operations whose request carries an encryption context, to which grant constraints apply.</summary>
    private static readonly HashSet<string> ContextOperations = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    };

    // Key policies are parsed once per distinct text (policies change rarely; the cache is bounded by clearing).
    private static readonly ConcurrentDictionary<string, PolicyDocument?> Parsed = new(StringComparer.Ordinal);

    public static PolicyDocument? PolicyOf(KeyRecord key)
    {
        if (key.Policy is not { } text) return null;
        if (Parsed.TryGetValue(text, out var cached)) return cached;
        if (Parsed.Count > 1024) Parsed.Clear();
        return Parsed[text] = PolicyDocument.TryParse(text, out _);
    }

    /// <summary>The key as the target of <paramref name="operation"/> by <paramref name="caller"/>.</summary>
    public static AuthorizationTarget Target(KeyStore store, Scope keyScope, KeyRecord key, CallerIdentity caller, string operation,
        IReadOnlyDictionary<string, string>? encryptionContext, string? viaService, ConditionKeys? keys = null)
    {
        keys ??= new ConditionKeys();
        keys.Add("kms:CallerAccount", caller.AccountId).Add("kms:ViaService", viaService);
        if (encryptionContext is not null && !HasEncryptionContextKeys(keys))
        {
            var pairs = encryptionContext.Select(p => KeyValuePair.Create(p.Key, p.Value)).ToList();
            keys.Prefixed("kms:EncryptionContext:", pairs).Add("kms:EncryptionContextKeys", pairs.ConvertAll(p => p.Key));
        }
        return new AuthorizationTarget(key.Arn, PolicyOf(key), keyScope.AccountId)
        {
            Context = keys.Build(),
            Granted = Grants(store, keyScope, key, caller, operation, encryptionContext),
        };
    }

    /// <summary>Whether a grant on the key gives the caller the operation.</summary>
    public static bool Grants(KeyStore store, Scope keyScope, KeyRecord key, CallerIdentity caller, string operation,
        IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var principals = PrincipalsOf(caller);
        foreach (var grant in store.Grants(keyScope, key.KeyId))
        {
            if (grant.GranteePrincipal is not { } grantee || !principals.Contains(grantee)) continue;
            if (!grant.Operations.Contains(operation, StringComparer.Ordinal)) continue;
            if (ContextOperations.Contains(operation) && !WithinConstraints(grant, encryptionContext)) continue;
            return true;
        }
        return false;
    }

    /// <summary>Whether the caller may retire the grant: its retiring principal, or its grantee when the grant includes RetireGrant.</summary>
    public static bool MayRetire(GrantRecord grant, CallerIdentity caller)
    {
        var principals = PrincipalsOf(caller);
        return (grant.RetiringPrincipal is { } retiring && principals.Contains(retiring))
            || (grant.GranteePrincipal is { } grantee && principals.Contains(grantee) && grant.Operations.Contains("RetireGrant"));
    }

    /// <summary>EncryptionContextEquals: the request's context is exactly the grant's; EncryptionContextSubset: it includes the grant's pairs.</summary>
    private static bool WithinConstraints(GrantRecord grant, IReadOnlyDictionary<string, string>? context)
    {
        context ??= new Dictionary<string, string>();
        if (grant.EncryptionContextEquals is { } equals
            && (equals.Count != context.Count || equals.Any(p => !context.TryGetValue(p.Key, out var v) || v != p.Value)))
            return false;
        return grant.EncryptionContextSubset is not { } subset || subset.All(p => context.TryGetValue(p.Key, out var v) && v == p.Value);
    }

    /// <summary>The ARNs a grantee may name the caller by: its own ARN, and for a role session the role's ARN.</summary>
    private static HashSet<string> PrincipalsOf(CallerIdentity caller)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { caller.Arn };
        // arn:aws:sts::<account>:assumed-role/<role>/<session> is a session of arn:aws:iam::<account>:role/<role>.
        var marker = caller.Arn.IndexOf(":assumed-role/", StringComparison.Ordinal);
        if (marker > 0)
        {
            var rest = caller.Arn[(marker + ":assumed-role/".Length)..];
            var role = rest.Contains('/', StringComparison.Ordinal) ? rest[..rest.LastIndexOf('/')] : rest;
            names.Add($"arn:aws:iam::{caller.AccountId}:role/{role}");
        }
        return names;
    }

    private static bool HasEncryptionContextKeys(ConditionKeys keys) => keys.Build() is { } built && built.ContainsKey("kms:EncryptionContextKeys");
}
