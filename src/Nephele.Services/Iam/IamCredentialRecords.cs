namespace Nephele.Services.Iam;

/// <summary>
/// A virtual MFA device. Its seed stays with Nephele so that codes can be checked; Drift is how many 30-second
/// steps the device runs ahead of Nephele's clock (learned by ResyncMFADevice), LastUsedStep the newest step a code
/// was accepted for — a code is good once, as in AWS.
/// </summary>
internal sealed record MfaDeviceRecord
{
    public required string SerialNumber { get; init; }
    public required string Seed { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public string? UserName { get; init; }
    public DateTimeOffset? EnableDate { get; init; }
    public long Drift { get; init; }
    public long LastUsedStep { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
}

/// <summary>An SSH public key of a user (for CodeCommit), kept in OpenSSH form with its MD5 fingerprint.</summary>
internal sealed record SshPublicKeyRecord
{
    public required string SshPublicKeyId { get; init; }
    public required string UserName { get; init; }
    public required string Body { get; init; }
    public required string Fingerprint { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset UploadDate { get; init; }
}

internal sealed record ServerCertificateRecord
{
    public required string ServerCertificateName { get; init; }
    public required string ServerCertificateId { get; init; }
    public required string Path { get; init; }
    public required string Arn { get; init; }
    public required string CertificateBody { get; init; }
    public string? CertificateChain { get; init; }
    public required DateTimeOffset UploadDate { get; init; }
    public required DateTimeOffset Expiration { get; init; }
    public List<TagRecord> Tags { get; init; } = [];
}

/// <summary>An X.509 signing certificate; UserName is null for the account root's own certificates.</summary>
internal sealed record SigningCertificateRecord
{
    public required string CertificateId { get; init; }
    public string? UserName { get; init; }
    public required string CertificateBody { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset UploadDate { get; init; }
}

/// <summary>A service-specific credential (CodeCommit HTTPS git, Amazon Keyspaces, Bedrock API keys). The password
/// is shown only when created or reset, as in AWS, and kept so that it could be checked.</summary>
internal sealed record ServiceSpecificCredentialRecord
{
    public required string ServiceSpecificCredentialId { get; init; }
    public required string UserName { get; init; }
    public required string ServiceName { get; init; }
    public string? ServiceUserName { get; init; }
    public string? ServicePassword { get; init; }
    public string? ServiceCredentialAlias { get; init; }
    public string? ServiceCredentialSecret { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public DateTimeOffset? ExpirationDate { get; init; }
}

/// <summary>When and where an access key was last used (GetAccessKeyLastUsed).</summary>
internal sealed record AccessKeyUseRecord(DateTimeOffset LastUsedDate, string ServiceName, string Region);
