using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

public sealed partial class SecretsManagerProvider
{
    private Dictionary<string, object?> DescribeSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = Find(ctx, input.RequireString("SecretId"));
        var output = Entry(record);
        output["VersionIdsToStages"] = output["SecretVersionsToStages"];
        output.Remove("SecretVersionsToStages");
        return output;
    }

    private Dictionary<string, object?> ListSecrets(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = input.GetInt("MaxResults") ?? 100;
        if (limit is < 1 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
        var includeDeleted = input.GetBool("IncludePlannedDeletion") ?? false;
        var filters = (input.GetList("Filters")?.OfType<Dictionary<string, object?>>() ?? [])
            .Select(f => (Key: f.GetString("Key") ?? "", Values: f.GetStrings("Values"))).ToList();
        var after = PageToken.Resume(input.GetString("NextToken"), () => new AwsException("InvalidNextTokenException", "The NextToken value is invalid."));
        var matching = _store.All(ctx.Scope)
            .Where(r => includeDeleted || r.DeletedDate is null)
            .Where(r => filters.All(f => Matches(r, f.Key, f.Values)))
            .Where(r => after is null || string.CompareOrdinal(r.Name, after) > 0)
            .Take(limit + 1).ToList();
        string? next = null;
        if (matching.Count > limit)
        {
            matching.RemoveAt(limit);
            next = PageToken.After(matching[^1].Name);
        }
        return new() { ["SecretList"] = matching.Select(r => (object?)Entry(r)).ToList(), ["NextToken"] = next };
    }

    // ListSecrets filters match by prefix, case-insensitively; a value starting with '!' negates it.
    private static bool Matches(SecretRecord r, string key, IReadOnlyList<string> values) => values.Any(value =>
    {
        var negate = value.StartsWith('!');
        var prefix = negate ? value[1..] : value;
        bool Has(string? s) => s is not null && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        var hit = key switch
        {
            "name" => Has(r.Name),
            "description" => Has(r.Description),
            "tag-key" => r.Tags.Any(t => Has(t.Key)),
            "tag-value" => r.Tags.Any(t => Has(t.Value)),
            "primary-region" => Has(PrimaryRegionOf(r)),
            "owning-service" => false,
            "all" => Has(r.Name) || Has(r.Description) || r.Tags.Any(t => Has(t.Key) || Has(t.Value)),
            _ => throw InvalidParameter($"Invalid filter key: {key}"),
        };
        return hit != negate;
    });

    private static Dictionary<string, object?> Entry(SecretRecord r) => new()
    {
        ["ARN"] = r.Arn,
        ["Name"] = r.Name,
        ["Description"] = r.Description,
        ["KmsKeyId"] = r.KmsKeyId,
        ["RotationEnabled"] = r.RotationEnabled,
        ["RotationLambdaARN"] = r.RotationLambdaARN,
        ["RotationRules"] = RotationRulesOf(r),
        ["LastRotatedDate"] = r.LastRotatedDate,
        ["NextRotationDate"] = NextRotationOf(r),
        ["LastChangedDate"] = r.LastChangedDate,
        ["DeletedDate"] = r.DeletedDate,
        // AWS leaves Tags out of the answer for an untagged secret.
        ["Tags"] = r.Tags.Count > 0 ? WriteTags(r.Tags) : null,
        ["SecretVersionsToStages"] = r.Versions.Where(v => v.Stages.Count > 0)
            .ToDictionary(v => v.VersionId, v => (object?)Strings(v.Stages)),
        ["CreatedDate"] = r.CreatedDate,
        ["PrimaryRegion"] = PrimaryRegionOf(r),
        ["ReplicationStatus"] = ReplicationStatus(r),
    };

    private Dictionary<string, object?> DeleteSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var window = input.GetLong("RecoveryWindowInDays");
        var force = input.GetBool("ForceDeleteWithoutRecovery") ?? false;
        if (force && window is not null)
            throw InvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        if (window is not null and (< 7 or > 30))
            throw InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        return _store.Transaction(() =>
        {
            var record = Find(ctx, id);
            if (record.PrimaryRegion is not null) throw NotOnReplica();
            if (record.Replicas.Count > 0)
                throw InvalidRequest($"You can't delete secret {id} that still has replica regions [{string.Join(",", record.Replicas.Select(r => r.Region))}]");
            var now = ctx.Now;
            if (force)
            {
                _store.Delete(ctx.Scope, record.Name);
                return new Dictionary<string, object?> { ["ARN"] = record.Arn, ["Name"] = record.Name, ["DeletionDate"] = now };
            }
            if (record.DeletedDate is not null)
                throw InvalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
            var deletion = now.AddDays(window ?? 30);
            Save(ctx, record with { DeletedDate = now, DeletionDate = deletion });
            return new Dictionary<string, object?> { ["ARN"] = record.Arn, ["Name"] = record.Name, ["DeletionDate"] = deletion };
        });
    }

    private Dictionary<string, object?> RestoreSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        return _store.Transaction(() =>
        {
            var found = Find(ctx, id);
            if (found.PrimaryRegion is not null) throw NotOnReplica();
            var record = found with { DeletedDate = null, DeletionDate = null };
            Save(ctx, record);
            return Identify(record, null);
        });
    }

    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var tags = ReadTags(input);
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            var merged = record.Tags.Where(t => !tags.Any(n => n.Key == t.Key)).Concat(tags).ToList();
            if (merged.Count > 50) throw InvalidParameter("Number of tags exceeds the limit of 50.");
            Save(ctx, record with { Tags = merged });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var keys = input.GetStrings("TagKeys");
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            Save(ctx, record with { Tags = [.. record.Tags.Where(t => !keys.Contains(t.Key))] });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> UpdateSecretVersionStage(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var stage = input.RequireString("VersionStage");
        var removeFrom = input.GetString("RemoveFromVersionId");
        var moveTo = input.GetString("MoveToVersionId");
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            var holder = record.WithStage(stage);
            if (moveTo is not null && record.Versions.All(v => v.VersionId != moveTo))
                throw InvalidParameter($"The version {moveTo} doesn't exist for the secret.");
            if (removeFrom is not null && holder?.VersionId != removeFrom)
                throw InvalidParameter($"The parameter RemoveFromVersionId is set to {removeFrom}, but the staging label {stage} is not currently attached to that version.");
            if (holder is not null && moveTo is not null && holder.VersionId != moveTo && removeFrom is null)
                throw InvalidParameter($"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder.VersionId}, "
                    + "so you must explicitly reference that version in RemoveFromVersionId.");
            if (moveTo is null && stage == Current)
                throw InvalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
            record = moveTo is not null ? MoveStage(record, stage, moveTo)
                : record with { Versions = [.. record.Versions.Select(v => v with { Stages = [.. v.Stages.Where(l => l != stage)] })] };
            Save(ctx, record with { LastChangedDate = ctx.Now });
            return Identify(record, null);
        });
    }

    private static List<SecretTag> ReadTags(Dictionary<string, object?> input) =>
        [.. (input.GetList("Tags")?.OfType<Dictionary<string, object?>>() ?? []).Select(t => new SecretTag(t.GetString("Key") ?? "", t.GetString("Value") ?? ""))];

    private static List<object?> WriteTags(List<SecretTag> tags) =>
        [.. tags.Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value })];
}
