using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Kms;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// Secrets Manager: secrets with versions and staging labels, scheduled deletion on Nephele's clock, tags.
/// Values are encrypted at rest through KMS (the secret's KmsKeyId, or the AWS managed key alias/aws/secretsmanager).
/// </summary>
public sealed partial class SecretsManagerProvider(ServiceEnvironment env) : IAwsProvider
{
    private const string Current = "AWSCURRENT";
    private const string Previous = "AWSPREVIOUS";

    private readonly SecretStore _store = new(env.State, env.Clock);
    private readonly KmsEnvelope _kms = new(env);

    public string ServiceName => "secretsmanager";

    public void Register(OperationRegistry operations)
    {
        RegisterOperations(operations);
        StartRotationSchedule();
    }

    private void RegisterOperations(OperationRegistry operations) => operations
        .On("CreateSecret", CreateSecret)
        .On("GetSecretValue", GetSecretValue)
        .On("PutSecretValue", PutSecretValue)
        .On("UpdateSecret", UpdateSecret)
        .On("DescribeSecret", DescribeSecret)
        .On("ListSecrets", ListSecrets)
        .On("DeleteSecret", DeleteSecret)
        .On("RestoreSecret", RestoreSecret)
        .On("TagResource", TagResource)
        .On("UntagResource", UntagResource)
        .On("UpdateSecretVersionStage", UpdateSecretVersionStage)
        .On("ListSecretVersionIds", ListSecretVersionIds)
        .On("BatchGetSecretValue", BatchGetSecretValue)
        .On("PutResourcePolicy", PutResourcePolicy)
        .On("GetResourcePolicy", GetResourcePolicy)
        .On("DeleteResourcePolicy", DeleteResourcePolicy)
        .On("ValidateResourcePolicy", ValidateResourcePolicy)
        .On("ReplicateSecretToRegions", ReplicateSecretToRegions)
        .On("RemoveRegionsFromReplication", RemoveRegionsFromReplication)
        .On("StopReplicationToReplica", StopReplicationToReplica)
        .On("RotateSecret", RotateSecret)
        .On("CancelRotateSecret", CancelRotateSecret)
        .On("GetRandomPassword", (_, input) => new() { ["RandomPassword"] = RandomPassword.Generate(input) });

    private Dictionary<string, object?> CreateSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        ValidateName(name);
        var (text, binary) = Value(input, required: false);
        var token = Token(input);
        var regions = ReplicaRegions(ctx, input);
        return _store.Transaction(() =>
        {
            if (_store.Get(ctx.Scope, name) is { } existing)
            {
                if (existing.DeletedDate is not null)
                    throw InvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
                // A retry with the same token and value is the same request: answer it again.
                if (existing.Versions.FirstOrDefault(v => v.VersionId == token) is { } same && SameValue(ctx, existing, same, text, binary))
                    return Identify(existing, same.VersionId);
                throw new AwsException("ResourceExistsException", $"The operation failed because the secret {name} already exists.");
            }
            var now = ctx.Now;
            var arn = $"arn:aws:secretsmanager:{ctx.Region}:{ctx.AccountId}:secret:{name}-{ArnSuffix()}";
            var kmsKeyId = input.GetString("KmsKeyId");
            var record = new SecretRecord
            {
                Name = name,
                Arn = arn,
                Description = input.GetString("Description"),
                KmsKeyId = kmsKeyId,
                Tags = ReadTags(input),
                CreatedDate = now,
                LastChangedDate = now,
                Versions = text is null && binary is null ? [] : [Sealed(ctx, arn, kmsKeyId, token, text, binary) with { Stages = [Current] }],
            };
            Save(ctx, record);
            if (regions.Count > 0) record = AddReplicas(ctx, record, regions, input.GetBool("ForceOverwriteReplicaSecret") ?? false);
            var output = Identify(record, record.Versions.Count > 0 ? token : null);
            output["ReplicationStatus"] = ReplicationStatus(record);
            return output;
        });
    }

    private Dictionary<string, object?> GetSecretValue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = Live(ctx, input.RequireString("SecretId"));
        var versionId = input.GetString("VersionId");
        var stage = input.GetString("VersionStage");
        var version = versionId is not null
            ? record.Versions.FirstOrDefault(v => v.VersionId == versionId && (stage is null || v.Stages.Contains(stage)))
                ?? throw NotFound($"Secrets Manager can't find the specified secret value for VersionId: {versionId}")
            : record.WithStage(stage ?? Current)
                ?? throw NotFound($"Secrets Manager can't find the specified secret value for staging label: {stage ?? Current}");
        // The version a rotation has begun but whose createSecret step has not put a value yet.
        if (!version.HasValue)
            throw NotFound(versionId is not null ? $"Secrets Manager can't find the specified secret value for VersionId: {versionId}"
                : $"Secrets Manager can't find the specified secret value for staging label: {stage ?? Current}");
        return ValueOf(ctx, record, version);
    }

    private Dictionary<string, object?> ValueOf(RequestContext ctx, SecretRecord record, SecretVersion version)
    {
        var (text, binary) = Opened(ctx, record, version);
        return new()
        {
            ["ARN"] = record.Arn,
            ["Name"] = record.Name,
            ["VersionId"] = version.VersionId,
            ["SecretString"] = text,
            ["SecretBinary"] = binary,
            ["VersionStages"] = Strings(version.Stages),
            ["CreatedDate"] = version.CreatedDate,
        };
    }

    private Dictionary<string, object?> PutSecretValue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var (text, binary) = Value(input, required: true);
        var token = Token(input);
        var stages = input.GetStrings("VersionStages") is { Count: > 0 } s ? s.ToList() : [Current];
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id);
            var (updated, version) = AddVersion(ctx, record, token, text, binary, stages);
            Save(ctx, updated);
            var output = Identify(updated, version.VersionId);
            output["VersionStages"] = Strings(version.Stages);
            return output;
        });
    }

    private Dictionary<string, object?> UpdateSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var (text, binary) = Value(input, required: false);
        var token = Token(input);
        return _store.Transaction(() =>
        {
            var record = Writable(ctx, id) with { LastChangedDate = ctx.Now };
            record = record with
            {
                Description = input.GetString("Description") ?? record.Description,
                KmsKeyId = input.GetString("KmsKeyId") ?? record.KmsKeyId,
            };
            string? versionId = null;
            if (text is not null || binary is not null)
            {
                (record, var version) = AddVersion(ctx, record, token, text, binary, [Current]);
                versionId = version.VersionId;
            }
            Save(ctx, record);
            return Identify(record, versionId);
        });
    }

    /// <summary>Adds a version (or recognises a retried one) and moves its staging labels onto it.</summary>
    private (SecretRecord, SecretVersion) AddVersion(RequestContext ctx, SecretRecord record, string token, string? text, byte[]? binary, List<string> stages)
    {
        if (record.Versions.FirstOrDefault(v => v.VersionId == token) is { HasValue: false } empty)
        {
            // The rotation function's createSecret step fills the version RotateSecret began.
            var filled = Sealed(ctx, record.Arn, record.KmsKeyId, token, text, binary) with { Stages = empty.Stages, CreatedDate = empty.CreatedDate };
            var withValue = record with { Versions = [.. record.Versions.Select(v => v.VersionId == token ? filled : v)], LastChangedDate = ctx.Now };
            foreach (var stage in stages) withValue = MoveStage(withValue, stage, token);
            return (withValue, withValue.Versions.First(v => v.VersionId == token));
        }
        if (record.Versions.FirstOrDefault(v => v.VersionId == token) is { } existing)
            return SameValue(ctx, record, existing, text, binary) ? (record, existing)
                : throw new AwsException("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
        var version = Sealed(ctx, record.Arn, record.KmsKeyId, token, text, binary);
        var updated = record with { Versions = [.. record.Versions, version], LastChangedDate = ctx.Now };
        foreach (var stage in stages) updated = MoveStage(updated, stage, token);
        // AWS keeps about 100 versions; the oldest ones without a staging label go first.
        var unlabelled = updated.Versions.Where(v => v.Stages.Count == 0).ToList();
        var excess = updated.Versions.Count - 100;
        if (excess > 0) updated = updated with { Versions = [.. updated.Versions.Except(unlabelled.Take(excess))] };
        return (updated, updated.Versions.First(v => v.VersionId == token));
    }

    /// <summary>Attaches a label to one version, taking it from any other; AWSCURRENT's old holder becomes AWSPREVIOUS.</summary>
    private static SecretRecord MoveStage(SecretRecord record, string stage, string toVersionId)
    {
        var from = record.WithStage(stage);
        if (from?.VersionId == toVersionId) return record;
        var versions = record.Versions.Select(v =>
        {
            var labels = v.Stages.Where(l => l != stage).ToList();
            if (v.VersionId == toVersionId) labels.Add(stage);
            if (stage == Current && v == from) labels = [.. labels.Where(l => l != Previous).Append(Previous)];
            else if (stage == Current && from is not null && v.VersionId != from.VersionId) labels.Remove(Previous);
            return v with { Stages = labels };
        }).ToList();
        return record with { Versions = versions };
    }

    /// <summary>A secret by name, full ARN or partial ARN (without the random suffix).</summary>
    /// <remarks>A full ARN may name a secret of another account (cross-account access, allowed by the secret's resource policy).</remarks>
    private SecretRecord Find(RequestContext ctx, string id)
    {
        if (!id.StartsWith("arn:", StringComparison.Ordinal)) return _store.Get(ctx.Scope, id) ?? throw SecretNotFound();
        var marker = id.IndexOf(":secret:", StringComparison.Ordinal);
        if (marker < 0) throw SecretNotFound();
        var parts = id.Split(':', 6);
        var scope = parts.Length == 6 && parts[4].Length == 12 && parts[4] != ctx.AccountId ? new Scope(parts[4], ctx.Region) : ctx.Scope;
        var resource = id[(marker + ":secret:".Length)..];
        if (resource.Length > 7 && resource[^7] == '-' && _store.Get(scope, resource[..^7]) is { } full && full.Arn == id) return full;
        return _store.Get(scope, resource) is { } partial && partial.Arn.StartsWith(id + "-", StringComparison.Ordinal) ? partial : throw SecretNotFound();
    }

    /// <summary>A secret that is not scheduled for deletion: everything but Describe, Delete and Restore needs one.</summary>
    private SecretRecord Live(RequestContext ctx, string id) =>
        Find(ctx, id) is { DeletedDate: null } record ? record
            : throw InvalidRequest("You can't perform this operation on the secret because it was marked for deletion.");

    private static Dictionary<string, object?> Identify(SecretRecord record, string? versionId) => new()
    {
        ["ARN"] = record.Arn,
        ["Name"] = record.Name,
        ["VersionId"] = versionId,
    };

    private static (string? Text, byte[]? Binary) Value(Dictionary<string, object?> input, bool required)
    {
        var text = input.GetString("SecretString");
        var binary = input.GetBlob("SecretBinary");
        if (text is not null && binary is not null)
            throw InvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        if (required && text is null && binary is null)
            throw InvalidParameter("You must provide either SecretString or SecretBinary.");
        return (text, binary);
    }

    private bool SameValue(RequestContext ctx, SecretRecord record, SecretVersion v, string? text, byte[]? binary)
    {
        var (storedText, storedBinary) = Opened(ctx, record, v);
        return storedText == text && (storedBinary ?? []).AsSpan().SequenceEqual(binary ?? []);
    }

    private static string Token(Dictionary<string, object?> input)
    {
        var token = input.GetString("ClientRequestToken");
        if (token is null) return Guid.NewGuid().ToString();
        if (token.Length is < 32 or > 64)
            throw AwsException.Validation($"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 32");
        return token;
    }

    private static void ValidateName(string name)
    {
        if (name.Length > 512 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '+' or '=' or '.' or '@' or '-'))
            throw InvalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    }

    private static string ArnSuffix()
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return RandomNumberGenerator.GetString(chars, 6);
    }

    private static List<object?> Strings(IEnumerable<string> values) => values.Select(v => (object?)v).ToList();

    private static AwsException SecretNotFound() => NotFound("Secrets Manager can't find the specified secret.");
    private static AwsException NotFound(string message) => new("ResourceNotFoundException", message);
    private static AwsException InvalidRequest(string message) => new("InvalidRequestException", message);
    private static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);
}
