using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>A customer managed KMS key, with its secret key material, stored as one row keyed by key id.</summary>
internal sealed record KeyRecord
{
    public required string KeyId { get; init; }
    public required string Arn { get; init; }
    public string Description { get; init; } = "";
    public required DateTimeOffset CreationDate { get; init; }
    public required string KeyState { get; init; }
    public DateTimeOffset? DeletionDate { get; init; }
    public int? PendingWindowInDays { get; init; }
    public required byte[] Material { get; init; }
    public Dictionary<string, string> Tags { get; init; } = [];
}

/// <summary>An alias: a friendly name pointing at one key, keyed by its name (alias/...).</summary>
internal sealed record AliasRecord
{
    public required string AliasName { get; init; }
    public required string TargetKeyId { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    public required DateTimeOffset LastUpdatedDate { get; init; }
}

[JsonSerializable(typeof(KeyRecord))]
[JsonSerializable(typeof(AliasRecord))]
internal sealed partial class KmsJsonContext : JsonSerializerContext;

/// <summary>Keys and aliases of one account+region. A key whose deletion date has passed is gone (lazily, so
/// deletion follows Nephele's clock and restarts without a timer).</summary>
internal sealed class KeyStore(IStateStore state, TimeProvider clock)
{
    private readonly IResourceTable _keys = state.Table("kms", "keys");
    private readonly IResourceTable _aliases = state.Table("kms", "aliases");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public KeyRecord? GetKey(Scope scope, string keyId) =>
        _keys.Get(scope, keyId, KmsJsonContext.Default.KeyRecord) is { } key && Live(key) ? key : null;

    public void PutKey(Scope scope, KeyRecord key) => _keys.Put(scope, key.KeyId, key, KmsJsonContext.Default.KeyRecord);

    public IReadOnlyList<KeyRecord> Keys(Scope scope) => _keys.Values(scope, KmsJsonContext.Default.KeyRecord).Where(Live).ToList();

    public AliasRecord? GetAlias(Scope scope, string name) =>
        _aliases.Get(scope, name, KmsJsonContext.Default.AliasRecord) is { } alias && GetKey(scope, alias.TargetKeyId) is not null ? alias : null;

    public void PutAlias(Scope scope, AliasRecord alias) => _aliases.Put(scope, alias.AliasName, alias, KmsJsonContext.Default.AliasRecord);

    public bool DeleteAlias(Scope scope, string name) => _aliases.Delete(scope, name);

    public IReadOnlyList<AliasRecord> Aliases(Scope scope) =>
        _aliases.Values(scope, KmsJsonContext.Default.AliasRecord).Where(a => GetKey(scope, a.TargetKeyId) is not null).ToList();

    private bool Live(KeyRecord key) => key.DeletionDate is not { } at || at > clock.GetUtcNow();
}
