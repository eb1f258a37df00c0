using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// Replication to other regions. A replica is a real secret in its region (same name, the primary's ARN with the
/// replica's region, its values encrypted with a key of that region) that follows every change of the primary in the
/// same transaction, so it is always InSync; it cannot be changed directly until StopReplicationToReplica promotes it.
/// </summary>
public sealed partial class SecretsManagerProvider
{
    private static readonly Regex RegionName = new("^[a-z]{2}(-[a-z]+)+-[0-9]$", RegexOptions.CultureInvariant);

    private Dictionary<string, object?> ReplicateSecretToRegions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var regions = ReplicaRegions(ctx, input);
        if (regions.Count == 0) throw InvalidParameter("You must specify at least one replica Region.");
        var force = input.GetBool("ForceOverwriteReplicaSecret") ?? false;
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            var updated = AddReplicas(ctx, record, regions, force);
            return new Dictionary<string, object?> { ["ARN"] = updated.Arn, ["ReplicationStatus"] = ReplicationStatus(updated) };
        });
    }

    private Dictionary<string, object?> RemoveRegionsFromReplication(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var regions = input.GetStrings("RemoveReplicaRegions");
        if (regions.Count == 0) throw InvalidParameter("You must specify at least one replica Region.");
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            foreach (var replica in record.Replicas.Where(r => regions.Contains(r.Region) && r.Status == InSync))
                _store.Delete(In(ctx, replica.Region), record.Name);
            var updated = record with { Replicas = [.. record.Replicas.Where(r => !regions.Contains(r.Region))] };
            _store.Put(ctx.Scope, updated);
            return new Dictionary<string, object?> { ["ARN"] = updated.Arn, ["ReplicationStatus"] = ReplicationStatus(updated) };
        });
    }

    private Dictionary<string, object?> StopReplicationToReplica(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        return _store.Transaction(() =>
        {
            var replica = Find(ctx, id);
            if (replica.PrimaryRegion is not { } primaryRegion)
                throw InvalidRequest("This secret is not a replica secret. You can only stop replication on a replica secret.");
            var primaryScope = In(ctx, primaryRegion);
            if (_store.Get(primaryScope, replica.Name) is { } primary)
                _store.Put(primaryScope, primary with { Replicas = [.. primary.Replicas.Where(r => r.Region != ctx.Region)] });
            var promoted = replica with { PrimaryRegion = null, LastChangedDate = ctx.Now };
            _store.Put(ctx.Scope, promoted);
            return new Dictionary<string, object?> { ["ARN"] = promoted.Arn };
        });
    }

    /// <summary>Stores a primary secret and brings every in-sync replica up to date with it.</summary>
    private void Save(RequestContext ctx, SecretRecord record) => Save(ScopeOf(record.Arn), record);

    private void Save(Scope primary, SecretRecord record)
    {
        _store.Put(primary, record);
        foreach (var replica in record.Replicas.Where(r => r.Status == InSync))
        {
            var scope = new Scope(primary.AccountId, replica.Region);
            _store.Put(scope, Mirror(primary, record, replica, _store.Get(scope, record.Name)));
        }
    }

    /// <summary>A secret that can be changed here: live, and a primary (replicas change only through their primary).</summary>
    private SecretRecord Writable(RequestContext ctx, string id) =>
        Live(ctx, id) is { PrimaryRegion: null } record ? record : throw NotOnReplica();

    private SecretRecord AddReplicas(RequestContext ctx, SecretRecord record, List<(string Region, string? KmsKeyId)> regions, bool force)
    {
        var replicas = record.Replicas.ToList();
        foreach (var (region, keyId) in regions)
        {
            if (replicas.Any(r => r.Region == region))
                throw InvalidParameter($"The secret is already replicated to the Region {region}.");
            var existing = _store.Get(In(ctx, region), record.Name);
            var taken = existing is not null && !(force && existing.PrimaryRegion is null && existing.Replicas.Count == 0);
            replicas.Add(taken
                ? new SecretReplica(region, keyId, "Failed", $"Replication failed: Secret name {record.Name} already exists in region {region}.")
                : new SecretReplica(region, keyId, InSync, "Replication succeeded"));
        }
        var updated = record with { Replicas = replicas };
        Save(ctx, updated);
        return updated;
    }

    /// <summary>The replica of <paramref name="primary"/> in <paramref name="replica"/>'s region: versions it already holds
    /// keep their ciphertext (only labels move); new versions are decrypted here and encrypted with the replica's key.</summary>
    private SecretRecord Mirror(Scope primaryScope, SecretRecord primary, SecretReplica replica, SecretRecord? current)
    {
        var scope = new Scope(primaryScope.AccountId, replica.Region);
        var arn = ReplicaArn(primary.Arn, primaryScope.Region, replica.Region);
        var held = current?.PrimaryRegion == primaryScope.Region ? current.Versions.ToDictionary(v => v.VersionId) : [];
        var versions = primary.Versions.Select(v =>
        {
            // A version whose value is still being filled keeps its own (empty) identity; a filled one is sealed again.
            if (held.TryGetValue(v.VersionId, out var same) && (same.HasValue || !v.HasValue)) return same with { Stages = v.Stages };
            if (!v.HasValue) return v;
            var (text, binary) = Opened(primaryScope, primary, v);
            return Sealed(scope, v.CreatedDate, arn, replica.KmsKeyId, v.VersionId, text, binary) with { Stages = v.Stages };
        }).ToList();
        return primary with
        {
            Arn = arn,
            KmsKeyId = replica.KmsKeyId,
            Versions = versions,
            Replicas = [],
            PrimaryRegion = primaryScope.Region,
            RotationToken = null,
        };
    }

    private static List<(string Region, string? KmsKeyId)> ReplicaRegions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var regions = (input.GetList("AddReplicaRegions")?.OfType<Dictionary<string, object?>>() ?? [])
            .Select(r => (Region: r.GetString("Region") ?? "", KmsKeyId: r.GetString("KmsKeyId"))).ToList();
        foreach (var (region, _) in regions)
            if (!RegionName.IsMatch(region) || region == ctx.Region) throw InvalidParameter("Invalid replica region.");
        if (regions.Select(r => r.Region).Distinct().Count() != regions.Count) throw InvalidParameter("Duplicate replica regions.");
        return regions;
    }

    private static List<object?>? ReplicationStatus(SecretRecord record) => record.Replicas.Count == 0 ? null
        : [.. record.Replicas.Select(r => (object?)new Dictionary<string, object?>
        {
            ["Region"] = r.Region,
            ["KmsKeyId"] = r.KmsKeyId ?? "alias/aws/secretsmanager",
            ["Status"] = r.Status,
            ["StatusMessage"] = r.StatusMessage,
        })];

    // The ARN differs only in its region field: arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>.
    private static string ReplicaArn(string arn, string fromRegion, string toRegion) =>
        arn.Replace($":secretsmanager:{fromRegion}:", $":secretsmanager:{toRegion}:", StringComparison.Ordinal);

    /// <summary>The primary's region for a replica or a replicated primary (its own, from its ARN); null for a secret
    /// without replication.</summary>
    private static string? PrimaryRegionOf(SecretRecord r) => r.PrimaryRegion ?? (r.Replicas.Count > 0 ? r.Arn.Split(':')[3] : null);

    private static Scope In(RequestContext ctx, string region) => new(ctx.AccountId, region);

    private static AwsException NotOnReplica() =>
        InvalidParameter("Operation not permitted on a replica secret. Call must be made in primary secret's region.");

    private const string InSync = "InSync";
}
