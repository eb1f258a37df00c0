using System.Text.Json.Serialization;

namespace Nephele.Services.Iam;

internal sealed record TagRecord(string Key, string Value);

/// <summary>An inline policy embedded in a user, group or role, kept exactly as submitted.</summary>
internal sealed record InlinePolicy(string PolicyName, string Document);

/// <summary>A console login: the password is kept only as a salted PBKDF2 hash (for ChangePassword's old password and
/// the policy's password reuse prevention), with the hashes of earlier passwords.</summary>
internal sealed record LoginProfileRecord(DateTimeOffset CreateDate, bool PasswordResetRequired, string? PasswordHash = null,
    List<string>? PreviousPasswordHashes = null);

internal sealed record UserRecord
{
    public required string UserName { get; init; }
    public required string UserId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
    public List<string> AttachedPolicies { get; init; } = [];
    public List<InlinePolicy> InlinePolicies { get; init; } = [];
    /// <summary>Names of the groups the user is in, in the order it joined them.</summary>
    public List<string> Groups { get; init; } = [];
    public string? PermissionsBoundary { get; init; }
    public LoginProfileRecord? LoginProfile { get; init; }
}

internal sealed record GroupRecord
{
    public required string GroupName { get; init; }
    public required string GroupId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public List<string> AttachedPolicies { get; init; } = [];
    public List<InlinePolicy> InlinePolicies { get; init; } = [];
}

internal sealed record RoleRecord
{
    public required string RoleName { get; init; }
    public required string RoleId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required string AssumeRolePolicyDocument { get; init; }
    public string? Description { get; init; }
    public int MaxSessionDuration { get; init; } = 3600;
    public string? PermissionsBoundary { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
    public List<string> AttachedPolicies { get; init; } = [];
    public List<InlinePolicy> InlinePolicies { get; init; } = [];
    /// <summary>The service of a service-linked role (e.g. "autoscaling.amazonaws.com"); only AWS may change such a role.</summary>
    public string? LinkedService { get; init; }
}

internal sealed record PolicyVersionRecord(string VersionId, string Document, DateTimeOffset CreateDate);

/// <summary>A managed policy: customer managed ones are stored; AWS managed ones come from an embedded resource.</summary>
internal sealed record PolicyRecord
{
    public required string PolicyName { get; init; }
    public required string PolicyId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required DateTimeOffset UpdateDate { get; init; }
    public required string DefaultVersionId { get; init; }
    public List<PolicyVersionRecord> Versions { get; init; } = [];
    /// <summary>The number of the next version: version ids are never reused, even after DeletePolicyVersion.</summary>
    public int NextVersion { get; init; } = 2;
    public List<TagRecord> Tags { get; init; } = [];
    [JsonIgnore] public bool AwsManaged { get; init; }

    [JsonIgnore] public PolicyVersionRecord DefaultVersion => Versions.First(v => v.VersionId == DefaultVersionId);
}

internal sealed record InstanceProfileRecord
{
    public required string InstanceProfileName { get; init; }
    public required string InstanceProfileId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public List<string> Roles { get; init; } = [];
    public List<TagRecord> Tags { get; init; } = [];
}

/// <summary>An IAM access key. UserName is null for the account root's own keys.</summary>
internal sealed record AccessKeyRecord
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public string? UserName { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
}

internal sealed record OidcProviderRecord
{
    public required string Arn { get; init; }
    public required string Url { get; init; }
    public List<string> ClientIds { get; init; } = [];
    public List<string> Thumbprints { get; init; } = [];
    public required DateTimeOffset CreateDate { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
}

internal sealed record SamlProviderRecord
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string MetadataDocument { get; init; }
    public required string Uuid { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public string? AssertionEncryptionMode { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
}

internal sealed record PasswordPolicyRecord
{
    public int MinimumPasswordLength { get; init; } = 6;
    public bool RequireSymbols { get; init; }
    public bool RequireNumbers { get; init; }
    public bool RequireUppercaseCharacters { get; init; }
    public bool RequireLowercaseCharacters { get; init; }
    public bool AllowUsersToChangePassword { get; init; }
    public int? MaxPasswordAge { get; init; }
    public int? PasswordReusePrevention { get; init; }
    public bool? HardExpiry { get; init; }
}

internal sealed record AccountAliasesRecord(List<string> Aliases);

internal sealed record CredentialReportRecord(DateTimeOffset GeneratedTime, string Content);

/// <summary>An AWS managed policy as embedded: its document is the default (and only served) version.</summary>
internal sealed record AwsManagedPolicyEntry(string PolicyName, string Path, string DefaultVersionId, DateTimeOffset CreateDate,
    DateTimeOffset UpdateDate, string Document);

[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(GroupRecord))]
[JsonSerializable(typeof(RoleRecord))]
[JsonSerializable(typeof(PolicyRecord))]
[JsonSerializable(typeof(InstanceProfileRecord))]
[JsonSerializable(typeof(AccessKeyRecord))]
[JsonSerializable(typeof(OidcProviderRecord))]
[JsonSerializable(typeof(SamlProviderRecord))]
[JsonSerializable(typeof(PasswordPolicyRecord))]
[JsonSerializable(typeof(AccountAliasesRecord))]
[JsonSerializable(typeof(CredentialReportRecord))]
[JsonSerializable(typeof(List<AwsManagedPolicyEntry>))]
[JsonSerializable(typeof(MfaDeviceRecord))]
[JsonSerializable(typeof(SshPublicKeyRecord))]
[JsonSerializable(typeof(ServerCertificateRecord))]
[JsonSerializable(typeof(SigningCertificateRecord))]
[JsonSerializable(typeof(ServiceSpecificCredentialRecord))]
[JsonSerializable(typeof(AccessKeyUseRecord))]
internal sealed partial class IamJsonContext : JsonSerializerContext;
