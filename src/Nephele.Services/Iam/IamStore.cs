using System.Text.Json.Serialization.Metadata;
using Nephele.Core.State;

namespace Nephele.Services.Iam;

/// <summary>
/// One kind of IAM entity in an account (IAM is global: scope is the account alone). IAM names are unique
/// regardless of case ("Bob" and "bob" collide), so rows are keyed by the lower-cased name.
/// </summary>
internal sealed class EntityTable<T>(IResourceTable table, JsonTypeInfo<T> type) where T : class
{
    public static string Key(string name) => name.ToLowerInvariant();

    public T? Get(Scope scope, string name) => table.Get(scope, Key(name), type);

    public void Put(Scope scope, string name, T value) => table.Put(scope, Key(name), value, type);

    public bool Delete(Scope scope, string name) => table.Delete(scope, Key(name));

    /// <summary>Every entity in key order.</summary>
    public IEnumerable<T> All(Scope scope) => table.Values(scope, type);

    public long Count(Scope scope) => table.Count(scope);
}

/// <summary>IAM's tables. Account-wide singletons (password policy, aliases, credential report) are rows of "account".</summary>
internal sealed class IamStore(IStateStore state)
{
    public EntityTable<UserRecord> Users { get; } = new(state.Table("iam", "users"), IamJsonContext.Default.UserRecord);
    public EntityTable<GroupRecord> Groups { get; } = new(state.Table("iam", "groups"), IamJsonContext.Default.GroupRecord);
    public EntityTable<RoleRecord> Roles { get; } = new(state.Table("iam", "roles"), IamJsonContext.Default.RoleRecord);
    public EntityTable<PolicyRecord> Policies { get; } = new(state.Table("iam", "policies"), IamJsonContext.Default.PolicyRecord);
    public EntityTable<InstanceProfileRecord> InstanceProfiles { get; } = new(state.Table("iam", "instance-profiles"), IamJsonContext.Default.InstanceProfileRecord);
    /// <summary>Keyed by access key id (lower-cased like every other key; ids are upper case so this is lossless).</summary>
    public EntityTable<AccessKeyRecord> AccessKeys { get; } = new(state.Table("iam", "access-keys"), IamJsonContext.Default.AccessKeyRecord);
    /// <summary>Keyed by ARN.</summary>
    public EntityTable<OidcProviderRecord> OidcProviders { get; } = new(state.Table("iam", "oidc-providers"), IamJsonContext.Default.OidcProviderRecord);
    public EntityTable<SamlProviderRecord> SamlProviders { get; } = new(state.Table("iam", "saml-providers"), IamJsonContext.Default.SamlProviderRecord);

    /// <summary>Keyed by serial number (the device's ARN).</summary>
    public EntityTable<MfaDeviceRecord> MfaDevices { get; } = new(state.Table("iam", "mfa-devices"), IamJsonContext.Default.MfaDeviceRecord);
    public EntityTable<SshPublicKeyRecord> SshPublicKeys { get; } = new(state.Table("iam", "ssh-public-keys"), IamJsonContext.Default.SshPublicKeyRecord);
    public EntityTable<ServerCertificateRecord> ServerCertificates { get; } = new(state.Table("iam", "server-certificates"), IamJsonContext.Default.ServerCertificateRecord);
    public EntityTable<SigningCertificateRecord> SigningCertificates { get; } = new(state.Table("iam", "signing-certificates"), IamJsonContext.Default.SigningCertificateRecord);
    public EntityTable<ServiceSpecificCredentialRecord> ServiceCredentials { get; } = new(state.Table("iam", "service-credentials"), IamJsonContext.Default.ServiceSpecificCredentialRecord);
    /// <summary>Keyed by access key id: the last use, persisted in batches by <see cref="AccessKeyUsage"/>.</summary>
    public EntityTable<AccessKeyUseRecord> AccessKeyUse { get; } = new(state.Table("iam", "access-key-use"), IamJsonContext.Default.AccessKeyUseRecord);

    private readonly IResourceTable _account = state.Table("iam", "account");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public PasswordPolicyRecord? PasswordPolicy(Scope scope) => _account.Get(scope, "password-policy", IamJsonContext.Default.PasswordPolicyRecord);
    public void PutPasswordPolicy(Scope scope, PasswordPolicyRecord policy) => _account.Put(scope, "password-policy", policy, IamJsonContext.Default.PasswordPolicyRecord);
    public bool DeletePasswordPolicy(Scope scope) => _account.Delete(scope, "password-policy");

    public List<string> Aliases(Scope scope) => _account.Get(scope, "aliases", IamJsonContext.Default.AccountAliasesRecord)?.Aliases ?? [];
    public void PutAliases(Scope scope, List<string> aliases) => _account.Put(scope, "aliases", new AccountAliasesRecord(aliases), IamJsonContext.Default.AccountAliasesRecord);

    public CredentialReportRecord? CredentialReport(Scope scope) => _account.Get(scope, "credential-report", IamJsonContext.Default.CredentialReportRecord);
    public void PutCredentialReport(Scope scope, CredentialReportRecord report) => _account.Put(scope, "credential-report", report, IamJsonContext.Default.CredentialReportRecord);
}
