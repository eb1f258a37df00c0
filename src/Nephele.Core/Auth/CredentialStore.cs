using System.Collections.Concurrent;

namespace Nephele.Core.Auth;

/// <summary>
/// Thread-safe in-memory <see cref="ICredentialStore"/>: issued keys live as long as the process. A durable
/// implementation behind State/ replaces it without changing callers.
/// </summary>
public sealed class CredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, IssuedCredential> _byAccessKey = new(StringComparer.Ordinal);

    public IssuedCredential? Find(string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        return _byAccessKey.GetValueOrDefault(accessKeyId);
    }

    /// <summary>Adds or replaces the credential with the same access key.</summary>
    public void Add(IssuedCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _byAccessKey[credential.AccessKeyId] = credential;
    }

    public bool Remove(string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        return _byAccessKey.TryRemove(accessKeyId, out _);
    }

    public int Count => _byAccessKey.Count;
}
