using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> AccountHandlers() =>
    [
        ("CreateAccountAlias", CreateAccountAlias),
        ("DeleteAccountAlias", DeleteAccountAlias),
        ("ListAccountAliases", ListAccountAliases),
        ("UpdateAccountPasswordPolicy", UpdateAccountPasswordPolicy),
        ("GetAccountPasswordPolicy", GetAccountPasswordPolicy),
        ("DeleteAccountPasswordPolicy", DeleteAccountPasswordPolicy),
        ("GetAccountSummary", GetAccountSummary),
    ];

    // An account has at most one alias; creating another replaces it.
    private Dictionary<string, object?> CreateAccountAlias(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var alias = Required(input, "AccountAlias");
        if (_store.Aliases(Scope(ctx)).Contains(alias)) throw IamErrors.AlreadyExists($"The account alias {alias} already exists.");
        _store.PutAliases(Scope(ctx), [alias]);
        return Empty();
    });

    private Dictionary<string, object?> DeleteAccountAlias(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var alias = Required(input, "AccountAlias");
        var aliases = _store.Aliases(Scope(ctx));
        if (!aliases.Remove(alias)) throw IamErrors.NoSuchEntity($"The account alias {alias} cannot be found.");
        _store.PutAliases(Scope(ctx), aliases);
        return Empty();
    });

    private Dictionary<string, object?> ListAccountAliases(RequestContext ctx, Dictionary<string, object?> input) =>
        Page(_store.Aliases(Scope(ctx)), a => a, input, "AccountAliases", a => a);

    // Members left out fall back to IAM's defaults: the update replaces the whole policy.
    private Dictionary<string, object?> UpdateAccountPasswordPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        _store.PutPasswordPolicy(Scope(ctx), new PasswordPolicyRecord
        {
            MinimumPasswordLength = input.GetInt("MinimumPasswordLength") ?? 6,
            RequireSymbols = input.GetBool("RequireSymbols") ?? false,
            RequireNumbers = input.GetBool("RequireNumbers") ?? false,
            RequireUppercaseCharacters = input.GetBool("RequireUppercaseCharacters") ?? false,
            RequireLowercaseCharacters = input.GetBool("RequireLowercaseCharacters") ?? false,
            AllowUsersToChangePassword = input.GetBool("AllowUsersToChangePassword") ?? false,
            MaxPasswordAge = input.GetInt("MaxPasswordAge") is { } age and > 0 ? age : null,
            PasswordReusePrevention = input.GetInt("PasswordReusePrevention"),
            HardExpiry = input.GetBool("HardExpiry"),
        });
        return Empty();
    }

    private Dictionary<string, object?> GetAccountPasswordPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = _store.PasswordPolicy(Scope(ctx))
            ?? throw IamErrors.NoSuchEntity($"The Password Policy with domain name {ctx.AccountId} cannot be found.");
        return new()
        {
            ["PasswordPolicy"] = new Dictionary<string, object?>
            {
                ["MinimumPasswordLength"] = (long)policy.MinimumPasswordLength,
                ["RequireSymbols"] = policy.RequireSymbols,
                ["RequireNumbers"] = policy.RequireNumbers,
                ["RequireUppercaseCharacters"] = policy.RequireUppercaseCharacters,
                ["RequireLowercaseCharacters"] = policy.RequireLowercaseCharacters,
                ["AllowUsersToChangePassword"] = policy.AllowUsersToChangePassword,
                ["ExpirePasswords"] = policy.MaxPasswordAge is not null,
                ["MaxPasswordAge"] = policy.MaxPasswordAge is { } age ? (long)age : null,
                ["PasswordReusePrevention"] = policy.PasswordReusePrevention is { } reuse ? (long)reuse : null,
                ["HardExpiry"] = policy.HardExpiry,
            },
        };
    }

    private Dictionary<string, object?> DeleteAccountPasswordPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        if (!_store.DeletePasswordPolicy(Scope(ctx)))
            throw IamErrors.NoSuchEntity("The account policy with name PasswordPolicy cannot be found.");
        return Empty();
    }

    private Dictionary<string, object?> GetAccountSummary(RequestContext ctx, Dictionary<string, object?> input)
    {
        var scope = Scope(ctx);
        var policies = _store.Policies.All(scope).ToList();
        var rootKeys = _store.AccessKeys.All(scope).Any(k => k.UserName is null);
        var summary = new Dictionary<string, object?>
        {
            ["Users"] = _store.Users.Count(scope),
            ["UsersQuota"] = 5000L,
            ["Groups"] = _store.Groups.Count(scope),
            ["GroupsQuota"] = 300L,
            ["GroupsPerUserQuota"] = (long)GroupsPerUser,
            ["Roles"] = _store.Roles.Count(scope),
            ["RolesQuota"] = 1000L,
            ["InstanceProfiles"] = _store.InstanceProfiles.Count(scope),
            ["InstanceProfilesQuota"] = 1000L,
            ["Policies"] = (long)policies.Count,
            ["PoliciesQuota"] = 1500L,
            ["PolicySizeQuota"] = (long)ManagedPolicySizeQuota,
            ["PolicyVersionsInUse"] = (long)policies.Sum(p => p.Versions.Count),
            ["PolicyVersionsInUseQuota"] = 10000L,
            ["VersionsPerPolicyQuota"] = (long)VersionsPerPolicy,
            ["UserPolicySizeQuota"] = (long)UserPolicySizeQuota,
            ["GroupPolicySizeQuota"] = (long)GroupPolicySizeQuota,
            ["RolePolicySizeQuota"] = (long)RolePolicySizeQuota,
            ["AttachedPoliciesPerUserQuota"] = (long)AttachedPoliciesQuota,
            ["AttachedPoliciesPerGroupQuota"] = (long)AttachedPoliciesQuota,
            ["AttachedPoliciesPerRoleQuota"] = (long)AttachedPoliciesQuota,
            ["AccessKeysPerUserQuota"] = (long)AccessKeysPerUser,
            ["AccountAccessKeysPresent"] = rootKeys ? 1L : 0L,
            ["AccountMFAEnabled"] = 0L,
            ["AccountSigningCertificatesPresent"] = 0L,
            ["SigningCertificatesPerUserQuota"] = 2L,
            ["MFADevices"] = 0L,
            ["MFADevicesInUse"] = 0L,
            ["ServerCertificates"] = 0L,
            ["ServerCertificatesQuota"] = 20L,
            ["Providers"] = _store.OidcProviders.Count(scope) + _store.SamlProviders.Count(scope),
            ["GlobalEndpointTokenVersion"] = 1L,
        };
        return new() { ["SummaryMap"] = summary };
    }
}
