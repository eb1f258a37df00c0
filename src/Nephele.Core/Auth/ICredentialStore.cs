namespace Nephele.Core.Auth;

/// <summary>An access key Nephele issued (STS temporary credentials, IAM access keys), with its secret.</summary>
public sealed record IssuedCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken,
    CallerIdentity Identity, DateTimeOffset? Expiration);

/// <summary>
/// Resolves access keys to callers. Keys Nephele issued map to their principal; any other key acts as the
/// root of its account (a 12-digit key is the account id, anything else is 000000000000).
/// </summary>
public interface ICredentialStore
{
    IssuedCredential? Find(string accessKeyId);
    void Add(IssuedCredential credential);
    bool Remove(string accessKeyId);
}
