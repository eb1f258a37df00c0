using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Core.Auth;

/// <summary>
/// The access keys Nephele issued (STS sessions, IAM access keys), kept in durable state so that
/// credentials handed out before a restart still identify their principal after it.
/// </summary>
public sealed class CredentialStore(IStateStore state) : ICredentialStore
{
    // Keys are global: an access key names its account, so it is looked up before any account is known.
    private static readonly Scope KeyScope = Scope.Global("global");
    private readonly IResourceTable _keys = state.Table("auth", "access-keys");

    public IssuedCredential? Find(string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        // Nephele issues only AKIA (long-term) and ASIA (temporary) keys; "test" and account-id keys skip the lookup.
        if (!accessKeyId.StartsWith("AKIA", StringComparison.Ordinal) && !accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
            return null;
        return _keys.Get(KeyScope, accessKeyId, CredentialJsonContext.Default.IssuedCredential);
    }

    /// <summary>Adds or replaces the credential with the same access key.</summary>
    public void Add(IssuedCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _keys.Put(KeyScope, credential.AccessKeyId, credential, CredentialJsonContext.Default.IssuedCredential);
    }

    public bool Remove(string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        return _keys.Delete(KeyScope, accessKeyId);
    }
}

[JsonSerializable(typeof(IssuedCredential))]
internal sealed partial class CredentialJsonContext : JsonSerializerContext;
