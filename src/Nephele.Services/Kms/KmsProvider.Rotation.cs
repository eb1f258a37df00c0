using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    // AWS allows 25 on-demand rotations in a key's lifetime.
    private const int MaxOnDemandRotations = 25;

    private Dictionary<string, object?> EnableKeyRotation(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var days = input.GetInt("RotationPeriodInDays") ?? 365;
        if (days is < 90 or > 2560)
            throw AwsException.Validation($"1 validation error detected: Value '{days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560");
        var key = RotatableKey(ctx, input, "EnableKeyRotation");
        // A new period applies from the last rotation (or creation) when rotation was already on, as in AWS.
        var next = key.RotationEnabled ? (key.Rotations.LastOrDefault()?.RotationDate ?? key.CreationDate).AddDays(days) : ctx.Now.AddDays(days);
        if (next <= ctx.Now) next = ctx.Now.AddDays(days);
        Store.PutKey(ctx.Scope, key with { RotationEnabled = true, RotationPeriodInDays = days, NextRotationDate = next });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> DisableKeyRotation(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = RotatableKey(ctx, input, "DisableKeyRotation");
        Store.PutKey(ctx.Scope, key with { RotationEnabled = false, NextRotationDate = null });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> GetKeyRotationStatus(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        RequireSymmetric(key, "GetKeyRotationStatus");
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        return new()
        {
            ["KeyRotationEnabled"] = key.RotationEnabled,
            ["KeyId"] = key.Arn,
            ["RotationPeriodInDays"] = key.RotationEnabled ? (long?)key.RotationPeriodInDays : null,
            ["NextRotationDate"] = key.RotationEnabled ? key.NextRotationDate : null,
        };
    }

    private Dictionary<string, object?> RotateKeyOnDemand(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = RotatableKey(ctx, input, "RotateKeyOnDemand");
        if (key.Rotations.Count(r => r.RotationType == "ON_DEMAND") >= MaxOnDemandRotations)
            throw new AwsException("LimitExceededException", $"{key.Arn} has reached the maximum number of on-demand rotations ({MaxOnDemandRotations}).");
        Store.PutKey(ctx.Scope, key with { Rotations = [.. key.Rotations, new KeyRotation(ctx.Now, "ON_DEMAND")] });
        return new Dictionary<string, object?> { ["KeyId"] = key.KeyId };
    });

    private Dictionary<string, object?> ListKeyRotations(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        RequireSymmetric(key, "ListKeyRotations");
        var rotations = key.Rotations.Select((r, i) => (Version: i + 1, Rotation: r));
        var (page, next) = Page(rotations, r => r.Version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), input);
        return Paged(page.Select(r => (object?)new Dictionary<string, object?>
        {
            ["KeyId"] = key.KeyId,
            ["KeyMaterialId"] = KeyMaterial.Id(key, r.Version),
            ["RotationDate"] = r.Rotation.RotationDate,
            ["RotationType"] = r.Rotation.RotationType,
            ["KeyMaterialState"] = r.Version == key.MaterialVersion ? "CURRENT" : "NON_CURRENT",
        }), "Rotations", next);
    }

    /// <summary>A customer managed symmetric encryption key that is enabled: only those rotate.</summary>
    private KeyRecord RotatableKey(RequestContext ctx, Dictionary<string, object?> input, string action)
    {
        var key = CustomerKey(ctx, input.RequireString("KeyId"), action);
        RequireSymmetric(key, action);
        if (key.Origin == "EXTERNAL")
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} has imported key material; Nephele does not rotate imported key material.");
        if (key.MultiRegion && key.PrimaryRegion != ctx.Scope.Region)
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} is a multi-Region replica key; manage rotation on its primary key.");
        return KeyRing.Usable(key);
    }

    private static void RequireSymmetric(KeyRecord key, string action)
    {
        if (key.KeySpec != SymmetricDefault)
            throw new AwsException("UnsupportedOperationException", $"{key.Arn} key spec is {key.KeySpec}, which does not support {action}. Only symmetric encryption keys rotate.");
    }

    private Dictionary<string, object?> ReplicateKey(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var region = input.RequireString("ReplicaRegion");
        var primary = CustomerKey(ctx, input.RequireString("KeyId"), "ReplicateKey");
        if (!primary.MultiRegion)
            throw new AwsException("UnsupportedOperationException", $"{primary.Arn} is not a multi-Region key.");
        if (primary.PrimaryRegion != ctx.Scope.Region)
            throw new AwsException("UnsupportedOperationException", $"{primary.Arn} is not a primary key; replicate its primary key instead.");
        if (region == ctx.Scope.Region)
            throw AwsException.Validation($"The replica region {region} must be different from the region of the primary key.");
        var replicaScope = new Scope(ctx.Scope.AccountId, region);
        if (primary.ReplicaRegions.Contains(region) && Store.GetKey(replicaScope, primary.KeyId) is not null)
            throw new AwsException("AlreadyExistsException", $"Replica key {primary.KeyId} already exists in region {region}.");
        var description = input.GetString("Description") ?? primary.Description;
        var replica = primary with
        {
            Arn = $"arn:aws:kms:{region}:{ctx.Scope.AccountId}:key/{primary.KeyId}",
            Description = description,
            CreationDate = ctx.Now,
            KeyState = "Enabled",
            Policy = input.GetString("Policy") is { } policy ? KeyPolicies.Validate(policy) : KeyPolicies.Default(ctx.Scope.AccountId),
            Tags = KmsTags.Read(input),
            ReplicaRegions = [],
        };
        Store.PutKey(replicaScope, replica);
        Store.PutKey(ctx.Scope, primary with { ReplicaRegions = [.. primary.ReplicaRegions.Where(r => r != region), region] });
        return new Dictionary<string, object?>
        {
            ["ReplicaKeyMetadata"] = Metadata(ctx, replica),
            ["ReplicaPolicy"] = replica.Policy,
            ["ReplicaTags"] = KmsTags.Write(replica.Tags),
        };
    });

    private Dictionary<string, object?> MultiRegionConfiguration(RequestContext ctx, KeyRecord key)
    {
        var keyRegion = key.Arn.Split(':')[3];
        var primaryRegion = key.PrimaryRegion ?? keyRegion;
        var primary = primaryRegion == keyRegion ? key : Store.GetKey(new Scope(ctx.Scope.AccountId, primaryRegion), key.KeyId);
        var arn = (string region) => $"arn:aws:kms:{region}:{ctx.Scope.AccountId}:key/{key.KeyId}";
        return new()
        {
            ["MultiRegionKeyType"] = primaryRegion == keyRegion ? "PRIMARY" : "REPLICA",
            ["PrimaryKey"] = new Dictionary<string, object?> { ["Arn"] = arn(primaryRegion), ["Region"] = primaryRegion },
            ["ReplicaKeys"] = (primary?.ReplicaRegions ?? [])
                .Select(r => (object?)new Dictionary<string, object?> { ["Arn"] = arn(r), ["Region"] = r }).ToList(),
        };
    }
}
