using System.Collections.Concurrent;

namespace Nephele.Core.Auth;

public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, IssuedCredential> _keys = new(StringComparer.Ordinal);

    public IssuedCredential? Find(string accessKeyId) => _keys.GetValueOrDefault(accessKeyId);
    public void Add(IssuedCredential credential) => _keys[credential.AccessKeyId] = credential;
    public bool Remove(string accessKeyId) => _keys.TryRemove(accessKeyId, out _);
}
