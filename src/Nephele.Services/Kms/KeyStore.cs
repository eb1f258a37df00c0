using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>Keys, aliases and grants of one account+region. Time-driven changes are derived on read from stored
/// dates and Nephele's clock, so they follow clock control and restarts without a timer: a key whose deletion date has
/// passed is gone, and automatic rotations whose date has passed have happened.</summary>
internal sealed class KeyStore(IStateStore state, TimeProvider clock)
{
    private readonly IResourceTable _keys = state.Table("kms", "keys");
    private readonly IResourceTable _aliases = state.Table("kms", "aliases");
    private readonly IResourceTable _grants = state.Table("kms", "grants");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public DateTimeOffset Now => clock.GetUtcNow();

    public KeyRecord? GetKey(Scope scope, string keyId) =>
        _keys.Get(scope, keyId, KmsJsonContext.Default.KeyRecord) is { } key && Live(key) ? CatchUp(key) : null;

    public void PutKey(Scope scope, KeyRecord key) => _keys.Put(scope, key.KeyId, key, KmsJsonContext.Default.KeyRecord);

    /// <summary>Stores a key only if its id is new; false when another request stored it first.</summary>
    public bool TryAddKey(Scope scope, KeyRecord key) => _keys.TryAdd(scope, key.KeyId, key, KmsJsonContext.Default.KeyRecord);

    public IReadOnlyList<KeyRecord> Keys(Scope scope) =>
        _keys.Values(scope, KmsJsonContext.Default.KeyRecord).Where(Live).Select(CatchUp).ToList();

    public AliasRecord? GetAlias(Scope scope, string name) =>
        _aliases.Get(scope, name, KmsJsonContext.Default.AliasRecord) is { } alias && GetKey(scope, alias.TargetKeyId) is not null ? alias : null;

    public void PutAlias(Scope scope, AliasRecord alias) => _aliases.Put(scope, alias.AliasName, alias, KmsJsonContext.Default.AliasRecord);

    public bool TryAddAlias(Scope scope, AliasRecord alias) => _aliases.TryAdd(scope, alias.AliasName, alias, KmsJsonContext.Default.AliasRecord);

    public bool DeleteAlias(Scope scope, string name) => _aliases.Delete(scope, name);

    public IReadOnlyList<AliasRecord> Aliases(Scope scope) =>
        _aliases.Values(scope, KmsJsonContext.Default.AliasRecord).Where(a => GetKey(scope, a.TargetKeyId) is not null).ToList();

    public GrantRecord? GetGrant(Scope scope, string keyId, string grantId) =>
        _grants.Get(scope, $"{keyId}/{grantId}", KmsJsonContext.Default.GrantRecord);

    public void PutGrant(Scope scope, GrantRecord grant) =>
        _grants.Put(scope, $"{grant.KeyId}/{grant.GrantId}", grant, KmsJsonContext.Default.GrantRecord);

    public bool DeleteGrant(Scope scope, GrantRecord grant) => _grants.Delete(scope, $"{grant.KeyId}/{grant.GrantId}");

    /// <summary>Grants of one key, or of every live key when <paramref name="keyId"/> is null.</summary>
    public IEnumerable<GrantRecord> Grants(Scope scope, string? keyId = null) =>
        _grants.Values(scope, KmsJsonContext.Default.GrantRecord, keyId is null ? null : keyId + "/")
            .Where(g => keyId is not null || GetKey(scope, g.KeyId) is not null);

    private bool Live(KeyRecord key) => key.DeletionDate is not { } at || at > clock.GetUtcNow();

    /// <summary>The key with every automatic rotation due by now applied. Rotated material is derived from the
    /// original (see <see cref="KeyMaterial"/>), so this view is the same however often and wherever it is computed.</summary>
    private KeyRecord CatchUp(KeyRecord key)
    {
        // Imported material past its ValidTo is deleted by KMS: the key waits for a new import.
        if (key.ValidTo is { } validTo && validTo <= clock.GetUtcNow() && key.KeyState is "Enabled" or "Disabled")
            return key with { KeyState = "PendingImport", Material = [], ValidTo = null };
        if (!key.RotationEnabled || key.NextRotationDate is not { } next || key.RotationPeriodInDays is not { } days || next > clock.GetUtcNow())
            return key;
        var rotations = key.Rotations.ToList();
        var now = clock.GetUtcNow();
        while (next <= now)
        {
            rotations.Add(new KeyRotation(next, "AUTOMATIC"));
            next = next.AddDays(days);
        }
        return key with { Rotations = rotations, NextRotationDate = next };
    }
}
